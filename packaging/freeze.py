"""What PyInstaller freezes, for every platform; `logview.spec` calls `build()`.

A plain module rather than spec code so that ruff checks it with the rest of the project.
Run it through the spec, from a venv where logview (not editable) and PyInstaller are
installed: `pyinstaller packaging/logview.spec` (the platform build scripts do).

One-folder builds only: a one-file build unpacks about 200 MB to a temp folder on every
start. Never `strip=True`: stripping numpy's bundled OpenBLAS breaks it.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESOURCES = ROOT / "resources"

# Qt modules logview never imports. PyInstaller collects only imported modules, but some are
# tried optionally (pyqtgraph tries QtTest) and would bring their Qt libraries. QtOpenGL and
# QtOpenGLWidgets stay: pyqtgraph's PlotCurveItem imports them whether OpenGL is used or not.
QT_EXCLUDES = [
    f"PySide6.{name}"
    for name in (
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
        "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus",
        "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation",
        "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtPdf",
        "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D",
        "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml",
        "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine",
        "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel",
        "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView",
    )
]  # fmt: skip
# Other bindings and big optional libraries that something may try to import.
PYTHON_EXCLUDES = [
    "PyQt5", "PyQt6", "PySide2", "tkinter", "matplotlib", "IPython", "pandas", "pyarrow",
    "scipy", "PIL", "OpenGL", "pyqtgraph.opengl", "pyqtgraph.examples", "pytest", "hypothesis",
    "setuptools", "pkg_resources", "distutils",
    # zstandard's C backend is the one it loads; the CFFI one is a 12 MB fallback.
    "zstandard._cffi", "cffi",
    # `--cluster` is the pip-installed command line's (`logview[cluster]`), not the installers'.
    "dask", "distributed",
]  # fmt: skip
# Qt's own translations: logview's interface is English, keep only Qt's base strings (the
# file dialogs) and drop the rest (about 20 MB of other modules' strings).
KEEP_TRANSLATIONS = ("qtbase_",)

# Linux: Qt plugins a laptop's desktop session never loads. Embedded and remote platforms
# (eglfs, linuxfb, vnc, ...) and their input devices; the GTK theme, which would bring the build
# machine's GTK stack (glib, cairo, pango) to load beside the user's own; image formats the app
# never reads (it loads one SVG icon and writes PNG, which Qt has built in).
LINUX_PLATFORMS = ("libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so")
LINUX_DROPPED_PLUGINS = ("egldeviceintegrations", "generic")
LINUX_DROPPED_THEMES = ("libqgtk3.so",)
LINUX_IMAGE_FORMATS = ("libqsvg.so",)
# Where the libraries that other binaries need land; one no kept binary needs is left out.
LINUX_LIBRARY_DIRS = ("", "PySide6/Qt/lib", "numpy.libs")

# macOS: what Finder offers to open with logview (and what can be dropped on its Dock icon).
# Types the system names by identifier; then, by extension, those it has no identifier for
# (the old key is still honoured where a type has no identifiers).
DOCUMENT_TYPES = [
    {"CFBundleTypeName": "Log", "CFBundleTypeRole": "Viewer", "LSHandlerRank": "Alternate",
     "LSItemContentTypes": ["public.log", "public.plain-text", "public.json", "public.folder",
                            "org.gnu.gnu-zip-archive", "org.gnu.gnu-zip-tar-archive",
                            "public.zip-archive", "public.tar-archive", "public.bzip2-archive"]},
    {"CFBundleTypeName": "Log or compressed log", "CFBundleTypeRole": "Viewer",
     "LSHandlerRank": "Alternate",
     "CFBundleTypeExtensions": ["evtx", "jsonl", "ndjson", "xz", "zst", "tgz"]},
]  # fmt: skip


def polars_runtime_excludes() -> list[str]:
    """Return the polars runtimes to leave out: ship exactly one, the compat one where the
    build venv has it (x86-64 builds install `polars[rtcompat]`; see README.md)."""
    runtimes = ["_polars_runtime_compat", "_polars_runtime_64", "_polars_runtime_32"]
    shipped = next(name for name in runtimes if importlib.util.find_spec(name) is not None)
    return [name for name in runtimes if name != shipped]


def version() -> str:
    """Return the version of the logview installed in the build venv (from pyproject.toml)."""
    return metadata.version("logview")


def _keep(entry: tuple[str, str, str]) -> bool:
    """Return whether a collected data file belongs in the bundle."""
    dest = entry[0].replace("\\", "/")
    if "/translations/" in dest:
        return Path(dest).name.startswith(KEEP_TRANSLATIONS)
    return True


def _linux_plugin_kept(dest: str) -> bool:
    """Return whether a collected Linux binary is not a Qt plugin listed above as unwanted."""
    parts = dest.replace("\\", "/").split("/")
    if parts[:3] != ["PySide6", "Qt", "plugins"] or len(parts) != 5:
        return True
    kind, name = parts[3], parts[4]
    if kind == "platforms":
        return name in LINUX_PLATFORMS
    if kind == "platformthemes":
        return name not in LINUX_DROPPED_THEMES
    if kind == "imageformats":
        return name in LINUX_IMAGE_FORMATS
    return kind not in LINUX_DROPPED_PLUGINS


def _prune_linux_binaries(binaries: list) -> list:
    """Return `binaries` without the unwanted Qt plugins and the libraries only they needed.

    PyInstaller collected every library some binary links to (`ldd`, so all of them at
    once); keep a library when a kept binary that is not itself such a library links to it.
    """
    from PyInstaller.depend.bindepend import get_imports

    kept = [entry for entry in binaries if _linux_plugin_kept(entry[0])]

    def is_library(dest: str) -> bool:
        folder, _, name = dest.replace("\\", "/").rpartition("/")
        return folder in LINUX_LIBRARY_DIRS and ".so" in name and not name.startswith("libpython")

    needed = set()
    for dest, src, kind in kept:
        if kind in ("BINARY", "EXTENSION") and not is_library(dest):
            needed.update(Path(name).name for name, _path in get_imports(src))
    return [entry for entry in kept if not is_library(entry[0]) or Path(entry[0]).name in needed]


def build() -> None:
    """Define the Analysis, the executables, the folder and (macOS) the .app."""
    from PyInstaller.building.build_main import COLLECT, EXE, PYZ, Analysis
    from PyInstaller.building.osx import BUNDLE
    from PyInstaller.utils.hooks import collect_data_files, copy_metadata

    datas = [
        *collect_data_files("logview"),  # logview/resources: the icon the window loads
        *copy_metadata("logview"),  # importlib.metadata.version() for `logview --version`
    ]
    analysis = Analysis(
        [str(HERE / "logview_main.py")],
        datas=datas,
        # The demo generator is imported lazily (only for --demo or no PATH): name it.
        # isal's isal_zlib imports igzip_lib and _isal from C, where PyInstaller cannot see it.
        hiddenimports=[
            "logview.core.demo",
            "logview.core.reading.parsers.evtx",
            "evtx",
            "isal.igzip_lib",
            "isal._isal",
        ],
        excludes=QT_EXCLUDES + PYTHON_EXCLUDES + polars_runtime_excludes(),
        noarchive=False,
    )
    analysis.datas = [entry for entry in analysis.datas if _keep(entry)]
    if sys.platform.startswith("linux"):
        analysis.binaries = _prune_linux_binaries(analysis.binaries)
        # PyInstaller links some libraries from the top folder to where they are: drop
        # the links whose library was left out.
        present = {entry[0] for entry in analysis.binaries + analysis.datas}
        analysis.binaries, analysis.datas = (
            [e for e in toc if e[2] != "SYMLINK" or e[1] in present]
            for toc in (analysis.binaries, analysis.datas)
        )
    pyz = PYZ(analysis.pure)
    windows = sys.platform == "win32"
    mac = sys.platform == "darwin"
    icon = str(RESOURCES / ("logview.ico" if windows else "logview.icns"))
    common = {"exclude_binaries": True, "strip": False, "upx": False, "icon": icon}
    executables = [
        # On Windows a console program opens a console window on a double-click, and a
        # windowed one has no standard output: ship one of each in the same folder.
        EXE(pyz, analysis.scripts, name="logview", console=not (windows or mac),
            argv_emulation=mac, **common),
    ]  # fmt: skip
    if windows:
        executables.append(EXE(pyz, analysis.scripts, name="logview-cli", console=True, **common))
    folder = COLLECT(
        *executables,
        analysis.binaries,
        analysis.datas,
        strip=False,
        upx=False,
        name="logview",
    )
    if mac:
        BUNDLE(
            folder,
            name="logview.app",
            icon=icon,
            bundle_identifier="io.logview.logview",
            version=version(),
            info_plist={
                "CFBundleShortVersionString": version(),
                "CFBundleDocumentTypes": DOCUMENT_TYPES,
                "NSHighResolutionCapable": True,
                "LSMinimumSystemVersion": "11.0",
            },
        )
