"""HTML for partners, in the same dialect the segmenter reads (CommonMark + GFM)."""

from __future__ import annotations

from syndicate.markdown.html import to_html


def test_gfm_task_lists_footnotes_and_autolinks_render() -> None:
    """A task keeps its (disabled) check box, footnotes link both ways, bare addresses link."""
    html = to_html(
        "- [x] Sudah disetujui\n- [ ] Belum\n\nData[^bps] dari humas_bi@bi.go.id.\n\n[^bps]: BPS.\n"
    )
    assert '<input type="checkbox" checked="" disabled=""> Sudah disetujui' in html
    assert '<input type="checkbox" disabled=""> Belum' in html
    assert 'href="#fn1" id="fnref1"' in html and '<li id="fn1">' in html
    assert 'href="mailto:humas_bi@bi.go.id"' in html


def test_an_articles_own_input_is_disabled_and_stripped() -> None:
    """Raw `<input>` in an article never reaches a partner as a live field or a handler."""
    html = to_html('Cari: <input type="text" name="q" onfocus="steal()">\n')
    assert html == '<p>Cari: <input disabled=""></p>\n'
