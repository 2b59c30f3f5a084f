"""PNG files from numpy: an RGB raster, shapes filled into it, a small bitmap font for axis
labels, and the file's bytes (zlib and struct: Qt, the usual painter, is not for core)."""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# 5 x 7 glyphs of what axis labels hold (digits, times, dates, 1.2k): "#" is ink.
_GLYPHS = {
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    ":": ("     ", "  #  ", "  #  ", "     ", "  #  ", "  #  ", "     "),
    "-": ("     ", "     ", "     ", " ### ", "     ", "     ", "     "),
    ".": ("     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "),
    "k": ("#    ", "#    ", "#  # ", "# #  ", "##   ", "# #  ", "#  # "),
    "M": ("#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"),
    "G": (" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ### "),
}
GLYPH_W, GLYPH_H = 5, 7


def hex_colour(text: str) -> tuple[int, int, int]:
    """Return "#d32f2f" as (211, 47, 47)."""
    value = text.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def canvas(width: int, height: int, colour: str = "#ffffff") -> np.ndarray:
    """Return a `height` x `width` RGB raster filled with `colour`."""
    out = np.empty((height, width, 3), dtype=np.uint8)
    out[:, :] = hex_colour(colour)
    return out


def fill(image: np.ndarray, x0: float, y0: float, x1: float, y1: float, colour: str) -> None:
    """Fill the rectangle [x0, x1) x [y0, y1) (pixels, clipped) with `colour`."""
    h, w = image.shape[:2]
    left, right = max(int(round(x0)), 0), min(int(round(x1)), w)
    top, bottom = max(int(round(y0)), 0), min(int(round(y1)), h)
    if right > left and bottom > top:
        image[top:bottom, left:right] = hex_colour(colour)


def step_line(image: np.ndarray, points: tuple[tuple[float, float], ...], colour: str,
              *, thick: int = 2, dash: int = 0) -> None:  # fmt: skip
    """Draw the horizontal and vertical segments joining `points` (a step line), dashed every
    `dash` pixels when `dash` is set."""
    rgb = hex_colour(colour)
    h, w = image.shape[:2]
    for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):  # a few hundred segments
        if abs(ya - yb) < 0.5:  # horizontal: thickened downwards
            xs = np.arange(int(round(min(xa, xb))), int(round(max(xa, xb))) + 1)
            ys = np.full(xs.size, int(round(ya)))
            along, dx, dy = xs, 0, 1
        else:  # vertical (a step): thickened to the right
            ys = np.arange(int(round(min(ya, yb))), int(round(max(ya, yb))) + 1)
            xs = np.full(ys.size, int(round(xa)))
            along, dx, dy = ys, 1, 0
        keep = (along // dash) % 2 == 0 if dash else np.ones(along.size, dtype=bool)
        for t in range(thick):
            yy, xx = ys[keep] + t * dy, xs[keep] + t * dx
            inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            image[yy[inside], xx[inside]] = rgb


def text(image: np.ndarray, x: float, y: float, label: str, colour: str, *, scale: int = 1,
         anchor: str = "left") -> None:  # fmt: skip
    """Write `label` with its top at `y`, starting at `x` (or centred on it, or ending at it:
    `anchor` middle, end); characters without a glyph are spaces."""
    advance = (GLYPH_W + 1) * scale
    width = len(label) * advance - scale
    start = x - (width / 2 if anchor == "middle" else width if anchor == "end" else 0)
    for i, char in enumerate(label):  # a label's few characters
        glyph = _GLYPHS.get(char)
        if glyph is None:
            continue
        ink = np.array([[c == "#" for c in row] for row in glyph])
        ink = np.kron(ink, np.ones((scale, scale), dtype=bool))
        gy, gx = np.nonzero(ink)
        xx, yy = gx + int(round(start + i * advance)), gy + int(round(y))
        inside = (yy >= 0) & (yy < image.shape[0]) & (xx >= 0) & (xx < image.shape[1])
        image[yy[inside], xx[inside]] = hex_colour(colour)


def encode(image: np.ndarray) -> bytes:
    """Return `image` (height x width x 3, uint8 RGB) as the bytes of a PNG file."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("a PNG is made of a height x width x 3 uint8 raster")
    height, width = image.shape[:2]
    # Each scanline starts with its filter type: 0, none (the flat colours compress well).
    raw = np.concatenate([np.zeros((height, 1), dtype=np.uint8), image.reshape(height, -1)], axis=1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        [SIGNATURE, _chunk(b"IHDR", header), _chunk(b"IDAT", zlib.compress(raw.tobytes(), 9)),
         _chunk(b"IEND", b"")]
    )  # fmt: skip


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
