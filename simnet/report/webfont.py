"""An ``@font-face`` rule embedding the plots' CJK font, cut to the characters a report uses, so it reads offline."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from pathlib import Path

from simnet.cache_files import cache_directory, write_atomically
from simnet.plots.fonts import cjk_font_path

logger = logging.getLogger(__name__)

FORMAT = "simnet-font-1"
"""Hashed into every cache key: a new way of cutting fonts never reads an old cut."""

FAMILY = "simnet CJK"
"""The CSS family name of the embedded font; first in the report's font list (it holds only non-ASCII glyphs)."""


def font_face(document: str) -> str:
    """The CSS rule for the CJK font subset to the non-ASCII characters of ``document`` (empty when none or no font).

    Cutting a CJK font takes about a second, so each cut is kept in the cache (``fonts/``), keyed by
    the font file and the characters.
    """
    characters = "".join(sorted(ch for ch in set(document) if ord(ch) > 127))
    path = cjk_font_path()
    if not characters or path is None:
        return ""
    stat = path.stat()
    key = hashlib.sha256(f"{FORMAT}|{path}|{stat.st_size}|{stat.st_mtime_ns}|{characters}".encode()).hexdigest()
    stored = cache_directory() / "fonts" / f"{key}.css"
    try:
        return stored.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    rule = _font_face_rule(path, characters)
    if rule:
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(stored, rule.encode())
        except OSError as error:
            logger.warning("could not keep the report font in the cache %s: %s", stored.parent, error)
    return rule


def _font_face_rule(path: Path, characters: str) -> str:
    """The ``@font-face`` rule of the font at ``path`` cut to ``characters``; empty when fontTools cannot cut it."""
    from fontTools import subset  # type: ignore[import-untyped]  # noqa: PLC0415  (only when the cache misses)

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
