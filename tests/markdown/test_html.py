"""HTML for partners, in the same dialect the segmenter reads (CommonMark + GFM)."""

from __future__ import annotations

import cmarkgfm
from lxml import html as lhtml

from syndicate.markdown.html import removed, to_html

TABLE = """| Kota | Komoditas | Satuan | Harga |
|------|:----------|:------:|------:|
| Jakarta | beras | kg | Rp 15.000 |
"""


def test_gfm_task_lists_footnotes_and_autolinks_render() -> None:
    """A task keeps its (disabled) check box, footnotes link both ways, bare addresses link."""
    html = to_html(
        "- [x] Sudah disetujui\n- [ ] Belum\n\nData[^bps] dari humas_bi@bi.go.id.\n\n[^bps]: BPS.\n"
    )
    checkbox = '<input class="task-list-item-checkbox" type="checkbox"'
    assert f'{checkbox} checked="" disabled=""> Sudah disetujui' in html
    assert f'{checkbox} disabled=""> Belum' in html
    assert 'href="#fn1" id="fnref1"' in html and '<li id="fn1" class="footnote-item">' in html
    assert 'href="#fnref1" class="footnote-backref"' in html
    assert 'href="mailto:humas_bi@bi.go.id"' in html


def test_an_articles_own_input_is_disabled_and_stripped() -> None:
    """Raw `<input>` in an article never reaches a partner as a live field or a handler."""
    html = to_html('Cari: <input type="text" name="q" onfocus="steal()">\n')
    assert html == '<p>Cari: <input disabled=""></p>\n'


def _alignments(html: str) -> list[str | None]:
    """Each cell's alignment, however it is written (``align`` or ``text-align``)."""
    cells = lhtml.fragment_fromstring(html, create_parent="div").iter("th", "td")
    found: list[str | None] = []
    for cell in cells:
        style = (cell.get("style") or "").replace(" ", "")
        found.append(cell.get("align") or (style.removeprefix("text-align:") or None))
    return found


def test_table_alignment_survives_as_github_renders_it() -> None:
    """Every cell keeps the alignment of its column's delimiter (|:--|:-:|--:|), the same as
    GitHub's own renderer (cmark-gfm) gives each cell."""
    ours = _alignments(to_html(TABLE))
    assert ours == _alignments(cmarkgfm.github_flavored_markdown_to_html(TABLE))
    assert ours == [None, "left", "center", "right"] * 2
    assert 'style="text-align:right"' in to_html(TABLE)


def test_plain_gfm_is_not_reported_as_removed() -> None:
    """A table, footnotes and a task list are not "removed for partners", even in an article
    whose raw HTML has the policy look at everything."""
    markdown = TABLE + "\nData[^1] <b>tebal</b>.\n\n- [x] selesai\n\n[^1]: BPS.\n"
    assert removed(markdown) == ()


def test_a_style_keeps_the_alignment_alone() -> None:
    """Raw HTML's style: only a table cell's text-align (left, center, right) survives, and
    losing the rest is reported; a class not of footnotes or task lists goes too."""
    markdown = (
        '<table><tr><td style="text-align: Right; position: fixed">a</td>'
        '<td style="text-align:url(javascript:alert(1))">b</td>'
        '<td style="color:red">c</td><td class="footnote-item x">d</td></tr></table>\n'
    )
    html = to_html(markdown)
    assert _alignments(html) == ["right", None, None, None]
    assert "position" not in html and "javascript" not in html and "color" not in html
    assert "class" not in html
    assert removed(markdown) == ("style on <td>", "class on <td>")
    assert removed('<p style="text-align:right">x</p>\n') == ("style on <p>",)
