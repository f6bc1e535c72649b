"""The public API: pinned, importable, and usable as the README shows."""

from __future__ import annotations

import syndicate
from tests.helpers import EXAMPLES, NOW


def test_all_is_pinned_and_resolves() -> None:
    """__all__ lists every export once and every name in it resolves."""
    assert len(syndicate.__all__) == len(set(syndicate.__all__))
    assert set(syndicate.__all__) == {*syndicate._EXPORTS, "__version__"}
    for name in syndicate.__all__:
        assert getattr(syndicate, name) is not None


def test_readme_snippet() -> None:
    """The library use shown in the README works end to end."""
    article = syndicate.read_article(EXAMPLES[0])
    engine = syndicate.create_engine("pseudo")
    result = syndicate.translate_article(article, target="en-GB", engine=engine, now=NOW)
    assert syndicate.parse_article(result.text).meta["lang"] == "en-GB"
    assert syndicate.markdown_structure(
        syndicate.parse_article(result.text).body
    ) == syndicate.markdown_structure(article.body)
