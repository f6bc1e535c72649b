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
    "Article": "syndicate.model",
    "available_engines": "syndicate.engines.base",
    "create_engine": "syndicate.engines.base",
    "detect_language": "syndicate.detect",
    "Detection": "syndicate.model",
    "Document": "syndicate.segment",
    "Engine": "syndicate.engines.base",
    "Finding": "syndicate.model",
    "import_page": "syndicate.importer",
    "load_settings": "syndicate.config",
    "markdown_structure": "syndicate.structure",
    "parse_article": "syndicate.reader",
    "read_article": "syndicate.reader",
    "Segment": "syndicate.model",
    "segment_article": "syndicate.segment",
    "Settings": "syndicate.config",
    "SyndicateError": "syndicate.errors",
    "translate_article": "syndicate.translate",
    "Translation": "syndicate.model",
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
    from syndicate.detect import detect_language
    from syndicate.engines.base import Engine, available_engines, create_engine
    from syndicate.errors import SyndicateError
    from syndicate.importer import import_page
    from syndicate.model import Article, Detection, Finding, Segment, Translation
    from syndicate.reader import parse_article, read_article
    from syndicate.segment import Document, segment_article
    from syndicate.structure import markdown_structure
    from syndicate.translate import translate_article


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'syndicate' has no attribute {name!r}")
