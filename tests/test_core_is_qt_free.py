"""logview.core never imports Qt: the headless commands and the tests of logic stay Qt-free."""

import subprocess
import sys


def test_importing_every_core_module_loads_no_qt():
    code = (
        "import pkgutil, importlib, sys, logview.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'logview.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "from logview.core.reading import registry; registry.all_formats()\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6', 'pyqtgraph', 'logview.gui')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
