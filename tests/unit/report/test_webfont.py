"""The report's CJK font is cut once per set of characters and then read from the cache."""

import pytest

from simnet.report import webfont


def test_a_cut_font_is_read_back_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SIMNET_CACHE_DIR", str(tmp_path))
    first = webfont.font_face("分拨中心 — CO₂")
    assert first.startswith("@font-face")
    assert len(list((tmp_path / "fonts").glob("*.css"))) == 1

    def no_cutting(path, characters):
        raise AssertionError("the font was cut again")

    monkeypatch.setattr(webfont, "_font_face_rule", no_cutting)
    assert webfont.font_face("中心分拨 CO₂ —") == first  # the same characters in another order


def test_other_characters_get_their_own_cut(tmp_path, monkeypatch):
    monkeypatch.setenv("SIMNET_CACHE_DIR", str(tmp_path))
    assert webfont.font_face("县级") != webfont.font_face("乡镇")
    assert len(list((tmp_path / "fonts").glob("*.css"))) == 2


def test_a_cache_that_cannot_be_written_costs_no_font(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SIMNET_CACHE_DIR", str(blocker))
    assert webfont.font_face("村级").startswith("@font-face")
    assert "could not keep the report font" in caplog.text


@pytest.mark.parametrize("text", ["", "plain ASCII only"])
def test_no_font_without_non_ascii_characters(text, tmp_path, monkeypatch):
    monkeypatch.setenv("SIMNET_CACHE_DIR", str(tmp_path))
    assert webfont.font_face(text) == ""
