"""Render the app icon's PNG, .ico and .icns files from the SVGs in resources/.

    python packaging/icons.py            # write resources/icons/* and resources/logview.{ico,icns}
    python packaging/icons.py --check    # exit 1 if the committed files differ from a fresh render

Needs PySide6 (Qt's SVG renderer) and Pillow (the .ico and .icns writers), e.g. the build
venv of packaging/linux/build.sh plus `pip install pillow`. The outputs are committed, so the
installer builds need neither Pillow nor this script; run it after changing an SVG.

`resources/logview.svg` is the icon, the same drawing as `logview/resources/logview.svg` that
the running window loads (the check says when the two differ); `resources/logview-small.svg`
is its 16 to 32 pixel version, three thicker lines instead of five thin ones.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
PACKAGE_ICON = RESOURCES.parent / "logview" / "resources" / "logview.svg"
SMALL = (16, 24, 32)
LARGE = (48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
# macOS icons leave a margin around the rounded square (824 of 1024 pixels on Apple's grid),
# so a full-bleed drawing would look bigger than its neighbours in the Dock.
ICNS_SCALE = 824 / 1024


def render(size: int, scale: float = 1.0) -> bytes:
    """Return the icon drawn at `size` pixels square as PNG bytes, the drawing scaled by
    `scale` and centred."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    svg = RESOURCES / ("logview-small.svg" if size * scale <= max(SMALL) else "logview.svg")
    renderer = QSvgRenderer(str(svg))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = size * scale
    renderer.render(painter, QRectF((size - side) / 2, (size - side) / 2, side, side))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def outputs() -> dict[Path, bytes]:
    """Return every generated file with its content."""
    from PIL import Image

    files = {RESOURCES / "icons" / f"logview-{n}.png": render(n) for n in SMALL + LARGE}

    def images(sizes: tuple[int, ...], scale: float = 1.0) -> list[Image.Image]:
        return [Image.open(io.BytesIO(render(n, scale))) for n in sizes]

    ico, icns = io.BytesIO(), io.BytesIO()
    big, *rest = images(ICO_SIZES[::-1])
    big.save(ico, "ICO", sizes=[(n, n) for n in ICO_SIZES], append_images=rest)
    big, *rest = images(ICNS_SIZES[::-1], ICNS_SCALE)
    big.save(icns, "ICNS", append_images=rest)
    files[RESOURCES / "logview.ico"] = ico.getvalue()
    files[RESOURCES / "logview.icns"] = icns.getvalue()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    problems = []
    if PACKAGE_ICON.read_bytes() != (RESOURCES / "logview.svg").read_bytes():
        problems.append(f"{PACKAGE_ICON} differs from resources/logview.svg")
    for path, data in outputs().items():
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                problems.append(f"{path.relative_to(RESOURCES.parent)} is stale")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(RESOURCES.parent)} ({len(data):,} bytes)")
    for problem in problems:
        print(f"icons: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
