"""Importing scraped pages: category splitting, escaping and the page shape."""

from __future__ import annotations

from syndicate.markdown.importer import escape, import_page, split_categories
from syndicate.markdown.segment import markdown_structure


def test_glued_categories_are_split() -> None:
    """Known section names and words of the page split a glued label line."""
    assert split_categories("AIBISNISKERJA SAMA") == (["AI", "Bisnis", "Kerja Sama"], "")
    assert split_categories("EKONOMIPOLITIK") == (["Ekonomi", "Politik"], "")
    names, leftover = split_categories("ZZQX")
    assert names == ["ZZQX"] and leftover == "ZZQX"
    assert split_categories("MOBILLISTRIK", {"MOBIL", "LISTRIK", "MOBIL LISTRIK"}) == (
        ["Mobil Listrik"],
        "",
    )


def test_plain_text_is_escaped_to_render_as_itself() -> None:
    """Markdown-looking characters in scraped text stay text."""
    for text in [
        "1. bukan daftar",
        "# bukan judul",
        "a *b* [c](d) <e> `f` &amp; _g_",
        "- x",
        "> q",
    ]:
        escaped = escape(text)
        kinds = [k[0] for k in markdown_structure(escaped)]
        assert kinds == ["paragraph_open", "inline", "paragraph_close"], (text, escaped)


def test_page_with_crlf_and_day_first_date() -> None:
    """CRLF pages and 25/6/2025 dates are understood."""
    page = (
        "Judul Berita Hari Ini\r\n\r\nRingkasan berita yang cukup panjang untuk menjadi lead paragraf ini.\r\n"
        "EKONOMI\r\n25/6/2025 3 min read\r\nJudul Berita Hari Ini | Kabar\r\nIsi paragraf pertama.\r\n"
    )
    result = import_page(page)
    assert result.meta["date"] == "2025-06-25" and result.meta["reading_time"] == 3
    assert result.meta["site"] == "Kabar" and result.meta["categories"] == ["Ekonomi"]
    assert result.problems == ()
