"""Text the Markdown parser refused as a link comes out of a translation as it went in."""

from __future__ import annotations

from syndicate.engines.pseudo import PseudoEngine
from syndicate.markdown.article import parse_article
from syndicate.markdown.html import to_html
from tests.helpers import NOW

SOURCE = """---
title: Uji
date: 2025-06-25
lang: id
---

Teks ini dengan [tautan](javascript:alert(1)) dan [data](data:text/html,abc) serta
![gambar](vbscript:msgbox) dan [benar](https://a.example/x) untuk pembaca.
"""


def test_a_refused_link_is_not_translated_into_a_working_one() -> None:
    """The engine never sees 'javascript': the text is a placeholder, QA passes, and the
    HTML has no link but the real one."""
    from syndicate.translation.translate import translate_article

    result = translate_article(
        parse_article(SOURCE), target="en", engine=PseudoEngine(), source="id", now=NOW
    )
    assert not [f for f in result.findings if f.severity == "critical"]
    for refused in ("[tautan](javascript:alert(1))", "[data](data:text/html,abc)"):
        assert refused in result.text
    assert "![gambar](vbscript:msgbox)" in result.text
    html = to_html(parse_article(result.text).body)
    assert html.count("<a ") == 1 and 'href="https://a.example/x"' in html
