"""The public API: pinned, importable, and usable as the README shows."""

from __future__ import annotations

import syndicate
from tests.conftest import EXAMPLES, NOW


def test_all_is_pinned_and_resolves() -> None:
    """__all__ is sorted and every name in it resolves."""
    assert syndicate.__all__ == sorted(syndicate.__all__, key=str.casefold)
    for name in syndicate.__all__:
        assert getattr(syndicate, name) is not None


def test_readme_snippet() -> None:
    """The library use shown in the README works end to end."""
    article = syndicate.read_article(EXAMPLES[0])
    engine = syndicate.create_engine("pseudo")
    result = syndicate.translate_article(article, target="en-GB", engine=engine, now=NOW)
    assert syndicate.parse_article(result.text).meta["lang"] == "en-GB"
    assert syndicate.structure(syndicate.parse_article(result.text).body) == syndicate.structure(
        article.body
    )
