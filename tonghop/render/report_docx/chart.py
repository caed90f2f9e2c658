"""A grouped bar chart as a PNG, drawn without a plotting library.

No plotting library is installed on a Sở's machine, and the chart needs nothing more than rectangles and
digits: bars are labelled with the row number of the commune in Phụ lục I, and the legend is the caption
printed under the image in Word (so Vietnamese text is typeset by Word, not rasterised here). The pixels
live in a numpy array (numpy comes with pandas): a national chart has two bars for each of ~3,000
communes, and filling them one pixel row at a time in a bytearray took over a second.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass

import numpy as np

Color = tuple[int, int, int]

SERIES_COLORS: tuple[Color, ...] = ((158, 202, 225), (33, 102, 172), (252, 141, 89))
_WHITE: Color = (255, 255, 255)
_GRID: Color = (210, 210, 210)
_AXIS: Color = (0, 0, 0)

# 5×7 glyphs for the axis labels, one string of five bits per row.
_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "00100", "00100", "01110"),
    "2": ("01110", "10001", "00001", "00010", "00100", "01000", "11111"),
    "3": ("11110", "00001", "00001", "01110", "00001", "00001", "11110"),
    "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "00001", "10001", "01110"),
    "6": ("00110", "01000", "10000", "11110", "10001", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
    "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100"),
    "%": ("11001", "11010", "00010", "00100", "01000", "01011", "10011"),
}


@dataclass(frozen=True)
class BarGroup:
    """One commune (a province in a national report): its row number in Phụ lục I, one value per series
    (0–1 or None)."""

    label: str
    values: tuple[float | None, ...]


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.pixels = np.empty((height, width, 3), dtype=np.uint8)
        self.pixels[:, :] = _WHITE

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        x0, x1 = max(0, min(x0, x1)), min(self.width, max(x0, x1))
        y0, y1 = max(0, min(y0, y1)), min(self.height, max(y0, y1))
        if x0 >= x1 or y0 >= y1:
            return
        self.pixels[y0:y1, x0:x1] = color

    def text(self, x: int, y: int, text: str, scale: int, color: Color = _AXIS) -> None:
        for i, char in enumerate(text):
            glyph = _GLYPHS.get(char)
            if glyph is None:
                continue
            gx = x + i * 6 * scale
            for r, bits in enumerate(glyph):
                for c, bit in enumerate(bits):
                    if bit == "1":
                        px, py = gx + c * scale, y + r * scale
                        self.rect(px, py, px + scale, py + scale, color)

    def png(self) -> bytes:
        # Each scanline: filter type 0, then its RGB bytes.
        raw = np.zeros((self.height, 1 + self.width * 3), dtype=np.uint8)
        raw[:, 1:] = self.pixels.reshape(self.height, self.width * 3)

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
            + chunk(b"IEND", b"")
        )


def text_width(text: str, scale: int) -> int:
    return max(0, len(text) * 6 * scale - scale)


def percent_bar_chart(
    groups: list[BarGroup],
    *,
    width: int = 1800,
    height: int = 720,
    colors: tuple[Color, ...] = SERIES_COLORS,
) -> bytes:
    """Bars from 0 to 100%, grouped per commune, with gridlines every 20% and numbered groups."""
    canvas = _Canvas(width, height)
    scale = 5
    left, right, top, bottom = 20 + text_width("100%", scale) + 16, 20, 24 + 7 * scale // 2, 30 + 7 * scale
    plot_w, plot_h = width - left - right, height - top - bottom
    for step in range(6):
        y = top + plot_h - round(plot_h * step / 5)
        canvas.rect(left, y, left + plot_w, y + 2, _GRID)
        label = f"{step * 20}%"
        canvas.text(left - 12 - text_width(label, scale), y - 7 * scale // 2, label, scale)
    series = max((len(g.values) for g in groups), default=1)
    if groups:
        slot = plot_w / len(groups)
        bar = max(1.0, slot * 0.8 / series)
        label_scale = next((k for k in (5, 4, 3) if slot >= text_width("000", k) + 6), 2)
        widest = max(text_width(g.label, label_scale) for g in groups)
        every = max(1, math.ceil((widest + 8) / slot))
        for i, group in enumerate(groups):
            x0 = left + slot * i + slot * 0.1
            for s, value in enumerate(group.values):
                if value is None:
                    continue
                h = round(plot_h * min(max(value, 0.0), 1.0))
                bx = round(x0 + s * bar)
                canvas.rect(
                    bx, top + plot_h - h, round(x0 + (s + 1) * bar), top + plot_h, colors[s % len(colors)]
                )
            if i % every == 0:
                cx = round(left + slot * (i + 0.5))
                canvas.text(
                    cx - text_width(group.label, label_scale) // 2,
                    top + plot_h + 12,
                    group.label,
                    label_scale,
                )
    canvas.rect(left - 2, top, left, top + plot_h + 2, _AXIS)
    canvas.rect(left - 2, top + plot_h, left + plot_w, top + plot_h + 2, _AXIS)
    return canvas.png()
