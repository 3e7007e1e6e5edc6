"""The building blocks of a report page: inline CSS, embedded figures, tables, sections, the page itself."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from html import escape

from matplotlib.figure import Figure
from PIL import Image

from simnet.labels import Lang
from simnet.report.i18n import say
from simnet.report.webfont import font_face

DPI = 100
"""Resolution of the embedded PNG figures: sharp at the page's width, small enough to render fast."""

PALETTE_COLOURS = 256
"""Colours of the embedded PNGs (a palette image; antialiased plot lines need no more)."""

CSS = """
body{font-family:"simnet CJK",system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;margin:0 auto;max-width:1180px;padding:24px;
color:#222;line-height:1.45}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;border-bottom:2px solid #1f77b4;padding-bottom:3px;margin-top:32px}
.sub{color:#666;font-size:.9em}.warn{color:#8a5a00;background:#fff6e0;padding:4px 8px;border-radius:3px}
table{border-collapse:collapse;font-size:.9em;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #ddd;
text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th{background:#f3f6fa}
.met,.missed,.unknown{display:inline-block;color:#fff;border-radius:3px;padding:1px 8px}
.met{background:#2ca02c}.missed{background:#d62728}.unknown{background:#999}
.sig{font-weight:bold;color:#d62728}
figure{margin:8px 0}figure img{max-width:100%;height:auto}figcaption{color:#666;font-size:.85em}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px}.pair>div{min-width:0;overflow-x:auto}
.pair>div>h3,.stack>h3{font-size:1em;margin:4px 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:8px}
@media print{body{max-width:none;padding:0;font-size:10pt}section{break-inside:avoid-page}
figure{break-inside:avoid}h2{break-after:avoid}a{color:inherit;text-decoration:none}}
"""


def png_bytes(figure: Figure) -> bytes:
    """The figure drawn once at ``DPI`` as a PNG of at most 256 colours.

    Plots have few colours, so a palette PNG looks the same at a third to a quarter of the bytes, and it is
    quicker to encode than the full-colour image.
    """
    figure.set_dpi(DPI)
    raw = io.BytesIO()
    figure.savefig(raw, format="raw", dpi="figure")
    image = Image.frombuffer("RGBA", figure.canvas.get_width_height(physical=True), raw.getvalue()).convert("RGB")
    palette_image = image.quantize(PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette = palette_image.getpalette() or []
    lightest = max(range(len(palette) // 3), key=lambda index: sum(palette[3 * index : 3 * index + 3]), default=0)
    palette[3 * lightest : 3 * lightest + 3] = [255, 255, 255]  # the octree's white is a shade off; the page's is not
    palette_image.putpalette(palette)
    buffer = io.BytesIO()
    palette_image.save(buffer, format="png")
    return buffer.getvalue()


def figure_html(figure: Figure, alt: str, caption: str = "") -> str:
    """A figure as an ``<img>`` with its PNG embedded in base64, and an optional caption."""
    return png_html(png_bytes(figure), alt, caption)


def png_html(png: bytes, alt: str, caption: str = "") -> str:
    """A figure drawn already (``png_bytes``) as an ``<img>`` with its PNG embedded in base64, and a caption."""
    data = base64.b64encode(png).decode("ascii")
    note = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,{data}">{note}</figure>'


def table_html(
    header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool], table_id: str = ""
) -> str:
    """A table of already escaped cells; ``numeric`` columns are right-aligned."""
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{cell}</td>' if num else f"<td>{cell}</td>" for cell, num in
                         zip(row, numeric, strict=True)) + "</tr>"
        for row in rows
    )  # fmt: skip
    ident = f' id="{table_id}"' if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def note_html(text: str, css_class: str = "sub") -> str:
    """A paragraph of small print (escaped); empty text gives nothing."""
    return f'<p class="{css_class}">{escape(text)}</p>' if text else ""


def section_html(section_id: str, lang: Lang, body: str) -> str:
    """A section with its stable id and its heading in ``lang``."""
    return f'<section id="{section_id}"><h2>{escape(say(section_id, lang))}</h2>{body}</section>'


def pair_html(a: str, b: str, lang: Lang) -> str:
    """Two bodies side by side, A on the left and B on the right."""
    return (f'<div class="pair"><div><h3>{escape(say("run_a", lang))}</h3>{a}</div>'
            f'<div><h3>{escape(say("run_b", lang))}</h3>{b}</div></div>')  # fmt: skip


def stack_html(a: str, b: str, lang: Lang) -> str:
    """Two wide bodies one above the other, A first, each at the page's full width."""
    return (f'<div class="stack"><h3>{escape(say("run_a", lang))}</h3>{a}'
            f'<h3>{escape(say("run_b", lang))}</h3>{b}</div>')  # fmt: skip


def page_html(title: str, subtitle: str, lang: Lang, sections: Sequence[str]) -> str:
    """The whole self-contained page: inline CSS, the CJK font subset to the page's characters, the sections."""
    html_lang = "zh-CN" if lang == "zh" else "en"
    body = f'<body><header><h1>{escape(title)}</h1><div class="sub">{escape(subtitle)}</div></header>'
    body += f"{''.join(sections)}</body>"
    head = '<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
    head += f"<title>{escape(title)}</title>"
    style = f"<style>{font_face(title + body)}{CSS}</style>"
    return f'<!DOCTYPE html><html lang="{html_lang}"><head>{head}{style}</head>{body}</html>\n'
