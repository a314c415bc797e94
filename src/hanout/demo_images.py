"""Product pictures for the demo, drawn with Pillow at load time.

A coloured tile with a simple flat icon (a croissant, a cup, a can, a bar of
chocolate …) and the product's name underneath, so the explorer's cards and
the register look like a real shop's without shipping photos. Arabic names
are shaped with Pillow's Raqm layout when it is available; without a suitable
font the tile simply has no caption.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

SIZE = 480
FONT_DIRS = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu")]
LATIN_FONTS = ["NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"]
ARABIC_FONTS = ["NotoSansArabic-Bold.ttf", "NotoNaskhArabic-Bold.ttf"]


def _font(names: list[str], size: int):
    for folder in FONT_DIRS:
        for name in names:
            path = folder / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return None


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, int(c * factor))) for c in rgb)


# --- icons: each draws in the box (x0, y0, x1, y1) ----------------------------------------


def _croissant(d: ImageDraw.ImageDraw, box, ink):
    x0, y0, x1, y1 = box
    h = y1 - y0
    ring = (x0 - 30, y0 + h * 0.15, x1 + 30, y1 + h * 1.2)
    d.arc(ring, 195, 345, fill=ink, width=int(h * 0.26))
    for angle in (225, 250, 270, 290, 315):
        d.arc(ring, angle - 1, angle + 1, fill=_shade(ink, 0.7), width=int(h * 0.26))


def _loaf(d, box, ink):
    x0, y0, x1, y1 = box
    h = y1 - y0
    d.rounded_rectangle((x0, y0 + h * 0.25, x1, y1 - h * 0.1), radius=int(h * 0.3), fill=ink)
    for i in range(3):
        x = x0 + (x1 - x0) * (0.25 + 0.25 * i)
        d.line((x - 20, y0 + h * 0.4, x + 20, y0 + h * 0.62), fill=_shade(ink, 0.7), width=8)


def _tart(d, box, ink):
    x0, y0, x1, y1 = box
    d.ellipse(box, fill=_shade(ink, 0.75))
    inset = (x1 - x0) * 0.1
    d.ellipse((x0 + inset, y0 + inset, x1 - inset, y1 - inset), fill=(250, 236, 200))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    d.pieslice((x0 + inset, y0 + inset, x1 - inset, y1 - inset), 300, 340, fill=_BG[0])
    d.ellipse((cx - 8, cy - 8, cx + 8, cy + 8), fill=_shade(ink, 0.75))


def _cup(d, box, ink):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 + w * 0.1, y0 + h * 0.25, x1 - w * 0.3, y1), radius=30, fill=ink)
    d.ellipse((x1 - w * 0.45, y0 + h * 0.4, x1, y0 + h * 0.8), outline=ink, width=18)
    for i in range(3):
        x = x0 + w * (0.22 + 0.15 * i)
        d.arc((x - 15, y0, x + 15, y0 + h * 0.2), 90, 270, fill=_shade(ink, 0.8), width=6)


def _appliance(d, box, ink):
    """A machine seen from the front (an oven, a display fridge, a scale): a body, a
    glass door with its handle, and a row of knobs."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 + w * 0.05, y0, x1 - w * 0.05, y1), radius=22, fill=ink)
    glass = (x0 + w * 0.15, y0 + h * 0.28, x1 - w * 0.15, y1 - h * 0.1)
    d.rounded_rectangle(glass, radius=14, fill=_shade(ink, 1.45))
    d.rounded_rectangle(
        (glass[0] + w * 0.05, glass[1] + h * 0.06, glass[2] - w * 0.05, glass[1] + h * 0.11),
        radius=6,
        fill=ink,
    )
    for i in range(4):
        cx = x0 + w * (0.22 + 0.19 * i)
        d.ellipse((cx - 14, y0 + h * 0.08, cx + 14, y0 + h * 0.08 + 28), fill=_shade(ink, 1.6))


def _can(d, box, ink):
    x0, y0, x1, y1 = box
    w = x1 - x0
    body = (x0 + w * 0.22, y0, x1 - w * 0.22, y1)
    d.rounded_rectangle(body, radius=26, fill=ink)
    d.rectangle(
        (body[0], y0 + (y1 - y0) * 0.38, body[2], y0 + (y1 - y0) * 0.55), fill=(250, 250, 250)
    )
    d.rounded_rectangle(
        (body[0] + 14, y0 - 10, body[2] - 14, y0 + 14), radius=8, fill=(200, 200, 205)
    )


def _bar(d, box, ink):
    x0, y0, x1, y1 = box
    d.rounded_rectangle(box, radius=18, fill=ink)
    cols, rows = 3, 4
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    for c in range(cols):
        for r in range(rows):
            d.rounded_rectangle(
                (x0 + c * w + 8, y0 + r * h + 8, x0 + (c + 1) * w - 8, y0 + (r + 1) * h - 8),
                radius=8,
                fill=_shade(ink, 1.25),
            )


def _tube(d, box, ink):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 + w * 0.28, y0 + h * 0.18, x1 - w * 0.28, y1), radius=36, fill=ink)
    d.rounded_rectangle(
        (x0 + w * 0.36, y0, x1 - w * 0.36, y0 + h * 0.22), radius=14, fill=_shade(ink, 0.6)
    )
    d.rectangle((x0 + w * 0.28, y0 + h * 0.5, x1 - w * 0.28, y0 + h * 0.62), fill=(250, 250, 250))


def _bottle(d, box, ink):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 + w * 0.25, y0 + h * 0.3, x1 - w * 0.25, y1), radius=30, fill=ink)
    d.polygon(
        [
            (x0 + w * 0.3, y0 + h * 0.32),
            (x0 + w * 0.42, y0 + h * 0.08),
            (x1 - w * 0.42, y0 + h * 0.08),
            (x1 - w * 0.3, y0 + h * 0.32),
        ],
        fill=ink,
    )
    d.rectangle((x0 + w * 0.41, y0, x1 - w * 0.41, y0 + h * 0.1), fill=_shade(ink, 0.6))


def _leaf(d, box, ink):
    x0, y0, x1, y1 = box
    d.ellipse((x0 + 40, y0, x1 - 40, y1), fill=ink)
    d.line(((x0 + x1) / 2, y0 + 20, (x0 + x1) / 2, y1 + 10), fill=_shade(ink, 0.6), width=8)


def _sack(d, box, ink):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 + w * 0.15, y0 + h * 0.2, x1 - w * 0.15, y1), radius=40, fill=ink)
    d.polygon(
        [
            (x0 + w * 0.3, y0 + h * 0.25),
            (x0 + w * 0.4, y0),
            (x1 - w * 0.4, y0),
            (x1 - w * 0.3, y0 + h * 0.25),
        ],
        fill=_shade(ink, 0.8),
    )


ICONS = {
    "croissant": _croissant,
    "loaf": _loaf,
    "tart": _tart,
    "cup": _cup,
    "appliance": _appliance,
    "can": _can,
    "bar": _bar,
    "tube": _tube,
    "bottle": _bottle,
    "leaf": _leaf,
    "sack": _sack,
}
_BG = [(0, 0, 0)]  # the tile colour, for icons that cut a shape out of themselves


def product_picture(name: str, *, icon: str, colour: tuple[int, int, int]) -> bytes:
    """A PNG tile: `colour` background, the `icon` in a darker shade, the name below."""
    image = Image.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(image)
    _BG[0] = colour
    ink = _shade(colour, 0.55)
    ICONS.get(icon, _sack)(draw, (120, 70, 360, 300), ink)
    arabic = _is_arabic(name)
    font = _font(ARABIC_FONTS if arabic else LATIN_FONTS, 44)
    if font is not None and (not arabic or features.check("raqm")):
        kwargs = {"direction": "rtl", "language": "ar"} if arabic else {}
        lines = _wrap(draw, name, font, SIZE - 60, kwargs)
        y = 340 if len(lines) > 1 else 365
        for line in lines[:2]:
            width = draw.textlength(line, font=font, **kwargs)
            draw.text(((SIZE - width) / 2, y), line, font=font, fill=(255, 255, 255), **kwargs)
            y += 56
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wrap(draw, text: str, font, width: int, kwargs) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font, **kwargs) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines
