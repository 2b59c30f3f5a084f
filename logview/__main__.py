from logview.cli import main

raise SystemExit(main())
