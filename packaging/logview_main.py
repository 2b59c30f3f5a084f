"""The frozen app's entry script: the same `main` as the installed `logview` command.

Importing `logview.cli` imports `logview` first, which sets the allocators up before polars
loads (`logview/_allocators.py`), exactly as the console script does.
"""

import sys

from logview.cli import main

if __name__ == "__main__":
    sys.exit(main())
