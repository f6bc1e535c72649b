"""Importing scraped pages: category splitting, escaping and the page shape."""

from __future__ import annotations

import pytest

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


NEWSROOM_PAGE = """Banjir Rendam Tiga Kecamatan di Bekasi
Rina Wulandari
Hujan deras sejak Minggu malam membuat tiga kecamatan di Bekasi terendam banjir setinggi satu meter.
NASIONAL
Senin, 14 Jul 2025 10:30 WIB
Banjir Rendam Tiga Kecamatan di Bekasi | Kabar Kota
Bagikan
Twitter
WhatsApp
Warga mulai mengungsi ke masjid dan sekolah terdekat sejak pukul 02.00 dini hari.
Baca juga:
Jalan Tol Cikampek Tergenang, Polisi Alihkan Arus
ADVERTISEMENT
Petugas BPBD mengerahkan empat perahu karet untuk mengevakuasi warga lanjut usia.
Baca juga: Curah Hujan Tinggi Diprediksi hingga Akhir Pekan
Pemerintah kota menyiapkan dapur umum di tiga titik pengungsian.
Penulis: Rina Wulandari
Editor: Ahmad Fauzi
Berita Lainnya
Harga Cabai Naik Jelang Idul Adha
"""


@pytest.mark.parametrize("inset", ["Baca juga:", "Baca Juga", "BACA JUGA"])
def test_newsroom_page_keeps_every_paragraph_bylines_and_the_stamp(inset: str) -> None:
    """Baca juga mid-article drops nothing after it; bylines go to the front matter; share
    widgets and ads are removed; the site's stamp is the date; each removal is listed."""
    result = import_page(NEWSROOM_PAGE.replace("Baca juga:\n", inset + "\n"))
    body = result.markdown.split("---\n", 2)[2]
    for paragraph in ("Warga mulai mengungsi", "Petugas BPBD", "Pemerintah kota menyiapkan"):
        assert paragraph in body
    for clutter in ("Bagikan", "Twitter", "WhatsApp", "ADVERTISEMENT", inset, "Tol Cikampek"):
        assert clutter not in body
    assert "Harga Cabai" not in body and "Penulis" not in body
    assert result.meta["date"] == "2025-07-14T10:30:00+07:00"
    assert result.meta["author"] == "Rina Wulandari" and result.meta["editor"] == "Ahmad Fauzi"
    assert "author: Rina Wulandari" in result.markdown and "editor: Ahmad Fauzi" in result.markdown
    assert result.meta["site"] == "Kabar Kota"
    removed = "\n".join(result.removed)
    for what in ("Bagikan", "Twitter", "WhatsApp", "ADVERTISEMENT", inset, "Tol Cikampek"):
        assert what in removed
    assert "Berita Lainnya" in removed
    assert result.problems == ()


def test_oleh_opening_a_sentence_is_not_a_byline() -> None:
    """ "Oleh karena itu, …" stays in the body."""
    page = NEWSROOM_PAGE.replace(
        "Pemerintah kota menyiapkan", "Oleh karena itu, pemerintah kota menyiapkan"
    )
    result = import_page(page)
    assert "Oleh karena itu, pemerintah kota" in result.markdown


def test_the_import_command_lists_what_it_removed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """syndicate import says on stderr what it took out of the page."""
    from tests.helpers import run

    page = tmp_path / "page.txt"
    page.write_text(NEWSROOM_PAGE, encoding="utf-8")
    result = run("import", str(page))
    assert result.exit_code == 0, result.stderr
    assert "removed the widget or ad label 'WhatsApp'" in result.stderr
    assert (tmp_path / "page.md").read_text(encoding="utf-8").count("Petugas BPBD") == 1
