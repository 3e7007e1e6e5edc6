"""A CJK-capable font for plots: an installed one if present, else the Noto Sans CJK that simnet depends on."""

from __future__ import annotations

import logging
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

logger = logging.getLogger(__name__)

PROBE = "中通圆通韵达申通极兔邮政县乡镇村级快递服务点分拨中心园区送达时间成本车辆"
"""Characters a font must have to render simnet's Chinese labels and names."""

PREFERRED = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
)
"""Installed families tried first, in order."""

BUNDLED_PACKAGE = "cvttf_NotoSansCJK_Regular"
"""The PyPI distribution ``cvttf-notosanscjk-regular`` ships Noto Sans CJK TC Regular (SIL OFL 1.1)."""


def covers(path: str | Path, characters: str = PROBE) -> bool:
    """Whether the font file at ``path`` has a glyph for every one of ``characters``."""
    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in characters if not ch.isspace())


def _bundled_font() -> Path | None:
    spec = find_spec(BUNDLED_PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        return None
    for folder in spec.submodule_search_locations:
        for path in sorted(Path(folder).iterdir()):
            if path.suffix.lower() in {".otf", ".ttf", ".ttc"}:
                return path
    return None


@cache
def cjk_font_path() -> Path | None:
    """The file of the CJK font plots use: a preferred installed family, else the bundled one (None if neither)."""
    installed = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    for family in PREFERRED:
        if family in installed and covers(installed[family]):
            return Path(installed[family])
    bundled = _bundled_font()
    if bundled is not None and covers(bundled):
        return bundled
    logger.warning("no CJK font found; Chinese text in plots will show empty boxes (pip install simnet again)")
    return None


@cache
def cjk_family() -> str | None:
    """Register the CJK font with matplotlib, append it to ``font.family`` as a fallback, and return its family."""
    path = cjk_font_path()
    if path is None:
        return None
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    families = list(mpl.rcParams["font.family"])
    if family not in families:  # a fallback only: Latin text keeps the user's font, CJK glyphs come from this one
        mpl.rcParams["font.family"] = [*families, family]
    return family
