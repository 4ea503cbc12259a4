"""The chart of the ratings: one reportlab Drawing, drawn three ways.

The PDF places the Drawing itself; the HTML gets it as inline SVG and the
DOCX as a PNG, both written here from the same shapes, so every format shows
the same picture.  (reportlab's own bitmap renderer needs rlPyCairo and the
cairo library; Pillow, which reportlab already depends on, draws the few
shapes a chart has.)  A shape the writers do not know is an error.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from ...pdfkit.glyphs import font_runs, placed_runs


@dataclass(frozen=True)
class ChartStyle:
    width: float             # points
    bar_height: float
    gap: float
    label_width: float
    font: str                # registered reportlab font names
    bold_font: str
    font_size: float
    text_colour: str         # "#rrggbb"
    axis_colour: str
    colours: dict[str, str]  # green | yellow | red | unrated -> "#rrggbb"


def ratings_chart(counts: list, style: ChartStyle) -> Drawing:
    """A horizontal bar per colour: its word on the left, the count at the bar's end.

    ``counts`` are :class:`model.Count` (colour, word, count) in display order.
    """
    rows = len(counts)
    height = rows * style.bar_height + (rows + 1) * style.gap
    drawing = Drawing(style.width, height)
    # The renderer's initial font would otherwise be Helvetica, a font no PDF/A may use unembedded.
    drawing.initialFontName, drawing.initialFontSize = style.font, style.font_size
    top = max((c.count for c in counts), default=0) or 1
    count_space = stringWidth("0000", style.bold_font, style.font_size) + 6
    bar_left = style.label_width
    bar_room = style.width - bar_left - count_space
    text = colors.HexColor(style.text_colour)
    for i, c in enumerate(counts):
        y = height - (i + 1) * (style.bar_height + style.gap)
        baseline = y + (style.bar_height - style.font_size * 0.7) / 2
        _add_text(drawing, bar_left - 6, baseline, c.word, style.bold_font, style.font_size, text, "end")
        length = bar_room * c.count / top
        if length > 0:
            drawing.add(Rect(bar_left, y, length, style.bar_height, strokeColor=None,
                             fillColor=colors.HexColor(style.colours[c.colour])))
        drawing.add(String(bar_left + length + 4, baseline, str(c.count), fontName=style.bold_font,
                           fontSize=style.font_size, fillColor=text, textAnchor="start"))
    drawing.add(Line(bar_left, style.gap / 2, bar_left, height - style.gap / 2,
                     strokeColor=colors.HexColor(style.axis_colour), strokeWidth=0.75))
    return drawing


def _add_text(drawing: Drawing, x: float, y: float, word: str, font: str, size: float, colour,
              anchor: str) -> None:
    """``word`` as one String in ``font``, or — where the font lacks a glyph — as one
    String per run of the fallback font that has it, placed side by side."""
    runs = font_runs(word, font)
    if runs == [(font, word)]:
        drawing.add(String(x, y, word, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor))
        return
    for left, name, chunk in placed_runs(runs, size, x, "right" if anchor == "end" else "left"):
        drawing.add(String(left, y, chunk, fontName=name, fontSize=size, fillColor=colour, textAnchor="start"))


def _hex(colour) -> str:
    return "#" + colour.hexval()[2:].lower()


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attr(value: str) -> str:
    """A theme's value inside a double-quoted XML attribute (it must not end the attribute)."""
    return escape(value, {'"': "&quot;", "'": "&apos;"})


def to_svg(drawing: Drawing, title: str, font_family: str) -> str:
    """The drawing as an inline SVG element with ``title`` as its accessible name."""
    h = drawing.height
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" '
             f'viewBox="0 0 {_fmt(drawing.width)} {_fmt(h)}" width="{_fmt(drawing.width)}" '
             f'height="{_fmt(h)}" class="ratings-chart">',
             f'<title id="chart-title">{escape(title)}</title>']
    for shape in drawing.contents:
        if isinstance(shape, Rect):
            parts.append(f'<rect x="{_fmt(shape.x)}" y="{_fmt(h - shape.y - shape.height)}" '
                         f'width="{_fmt(shape.width)}" height="{_fmt(shape.height)}" '
                         f'fill="{_hex(shape.fillColor)}"/>')
        elif isinstance(shape, String):
            anchor = {"start": "start", "end": "end", "middle": "middle"}[shape.textAnchor]
            weight = ' font-weight="bold"' if shape.fontName.lower().endswith("bold") else ""
            parts.append(f'<text x="{_fmt(shape.x)}" y="{_fmt(h - shape.y)}" text-anchor="{anchor}" '
                         f'font-family="{_attr(font_family)}" font-size="{_fmt(shape.fontSize)}"{weight} '
                         f'fill="{_hex(shape.fillColor)}">{escape(shape.text)}</text>')
        elif isinstance(shape, Line):
            parts.append(f'<line x1="{_fmt(shape.x1)}" y1="{_fmt(h - shape.y1)}" x2="{_fmt(shape.x2)}" '
                         f'y2="{_fmt(h - shape.y2)}" stroke="{_hex(shape.strokeColor)}" '
                         f'stroke-width="{_fmt(shape.strokeWidth)}"/>')
        else:
            raise TypeError(f"the chart writers cannot draw {type(shape).__name__}")
    parts.append("</svg>")
    return "".join(parts)


def to_png(drawing: Drawing, font_files: dict[str, str], dpi: int = 200) -> bytes:
    """The drawing as a PNG at ``dpi``; ``font_files`` maps reportlab font names to TTF files."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72
    width, height = round(drawing.width * scale), round(drawing.height * scale)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[str, float], ImageFont.FreeTypeFont] = {}

    def y(value: float) -> float:
        return (drawing.height - value) * scale

    for shape in drawing.contents:
        if isinstance(shape, Rect):
            draw.rectangle([shape.x * scale, y(shape.y + shape.height), (shape.x + shape.width) * scale - 1,
                            y(shape.y) - 1], fill=_hex(shape.fillColor))
        elif isinstance(shape, String):
            key = (shape.fontName, shape.fontSize)
            if key not in fonts:   # a fallback font's file: as reportlab registered it
                file = font_files.get(shape.fontName) or getFont(shape.fontName).face.filename
                fonts[key] = ImageFont.truetype(file, round(shape.fontSize * scale))
            anchor = {"start": "ls", "end": "rs", "middle": "ms"}[shape.textAnchor]
            draw.text((shape.x * scale, y(shape.y)), shape.text, font=fonts[key],
                      fill=_hex(shape.fillColor), anchor=anchor)
        elif isinstance(shape, Line):
            draw.line([(shape.x1 * scale, y(shape.y1)), (shape.x2 * scale, y(shape.y2))],
                      fill=_hex(shape.strokeColor), width=max(1, round(shape.strokeWidth * scale)))
        else:
            raise TypeError(f"the chart writers cannot draw {type(shape).__name__}")
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), optimize=False)
    return out.getvalue()
