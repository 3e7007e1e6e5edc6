"""An ``@font-face`` rule embedding the plots' CJK font, cut to the characters a report uses, so it reads offline."""

from __future__ import annotations

import base64
import io
import logging

from fontTools import subset  # type: ignore[import-untyped]

from simnet.plots.fonts import cjk_font_path

logger = logging.getLogger(__name__)

FAMILY = "simnet CJK"
"""The CSS family name of the embedded font; first in the report's font list (it holds only non-ASCII glyphs)."""


def font_face(document: str) -> str:
    """The CSS rule for the CJK font subset to the non-ASCII characters of ``document`` (empty when none or no font)."""
    characters = "".join(sorted(ch for ch in set(document) if ord(ch) > 127))
    path = cjk_font_path()
    if not characters or path is None:
        return ""
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.font_number = 0
    try:
        font = subset.load_font(str(path), options, lazy=True)
        try:
            subsetter = subset.Subsetter(options)
            subsetter.populate(text=characters)
            subsetter.subset(font)
            buffer = io.BytesIO()
            font.save(buffer)
        finally:
            font.close()
    except Exception:  # a font fontTools cannot cut: the report still renders with the reader's fonts
        logger.warning("could not embed the CJK font %s in the report", path, exc_info=True)
        return ""
    kind, mime = ("opentype", "font/otf") if buffer.getvalue()[:4] == b"OTTO" else ("truetype", "font/ttf")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'@font-face{{font-family:"{FAMILY}";src:url(data:{mime};base64,{data}) format("{kind}")}}'
