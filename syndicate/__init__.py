"""syndicate: translate, localize and syndicate Indonesian news articles.

The public API is loaded lazily, so that ``import syndicate`` (and the CLI's start) does
not pay for requests, Babel or markdown-it until they are used::

    import syndicate

    article = syndicate.read_article("examples/startup-ai-jakarta-pendanaan.md")
    engine = syndicate.create_engine("pseudo")
    result = syndicate.translate_article(article, target="en-GB", engine=engine)
    print(result.text)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "syndicate.types",
    "available_engines": "syndicate.engines.base",
    "create_engine": "syndicate.engines.base",
    "detect_language": "syndicate.translation.detect",
    "Detection": "syndicate.types",
    "Document": "syndicate.markdown.segment",
    "Engine": "syndicate.engines.base",
    "Finding": "syndicate.types",
    "import_page": "syndicate.markdown.importer",
    "load_settings": "syndicate.config",
    "markdown_structure": "syndicate.markdown.segment",
    "parse_article": "syndicate.markdown.article",
    "read_article": "syndicate.markdown.article",
    "Segment": "syndicate.types",
    "segment_article": "syndicate.markdown.segment",
    "Settings": "syndicate.config",
    "SyndicateError": "syndicate.errors",
    "translate_article": "syndicate.translation.translate",
    "Translation": "syndicate.types",
}
__all__ = [
    "Article",
    "Detection",
    "Document",
    "Engine",
    "Finding",
    "Segment",
    "Settings",
    "SyndicateError",
    "Translation",
    "__version__",
    "available_engines",
    "create_engine",
    "detect_language",
    "import_page",
    "load_settings",
    "markdown_structure",
    "parse_article",
    "read_article",
    "segment_article",
    "translate_article",
]

if TYPE_CHECKING:
    from syndicate.config import Settings, load_settings
    from syndicate.engines.base import Engine, available_engines, create_engine
    from syndicate.errors import SyndicateError
    from syndicate.markdown.article import parse_article, read_article
    from syndicate.markdown.importer import import_page
    from syndicate.markdown.segment import Document, markdown_structure, segment_article
    from syndicate.translation.detect import detect_language
    from syndicate.translation.translate import translate_article
    from syndicate.types import Article, Detection, Finding, Segment, Translation


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'syndicate' has no attribute {name!r}")
