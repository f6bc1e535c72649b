"""syndicate: translate, localize and syndicate Indonesian news articles.

The public API, loaded lazily so that ``import syndicate`` (and the CLI's start) does not
pay for requests, Babel or markdown-it until they are used. The calls take the project's
settings (``load_settings()``: ``config/syndicate.yaml``, ``SYNDICATE_*``) as the commands
do, so that they give what the commands give; keywords replace a setting. One article::

    import syndicate

    article = syndicate.read_article("examples/startup-ai-jakarta-pendanaan.md")
    result = syndicate.translate_article(article, target="en-GB", engine="pseudo")
    print(result.text)

A batch, as ``syndicate batch plan.yaml`` runs it::

    result = syndicate.run_batch(syndicate.load_plan("plan.yaml"))
    print(result.status, result.report()["packages"])

Every error the library raises is a ``syndicate.SyndicateError``, with ``message``,
``hint`` and ``exit_code``, and where known ``path`` and ``line``; the tree is drawn in
``syndicate.errors``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Each public name and the module that defines it.
_EXPORTS = {
    # One article
    "Article": "syndicate.types",
    "Detection": "syndicate.types",
    "Finding": "syndicate.types",
    "Segment": "syndicate.types",
    "Translation": "syndicate.types",
    "read_article": "syndicate.markdown.article",
    "parse_article": "syndicate.markdown.article",
    "Document": "syndicate.markdown.segment",
    "segment_article": "syndicate.markdown.segment",
    "markdown_structure": "syndicate.markdown.segment",
    "import_page": "syndicate.markdown.importer",
    "detect_language": "syndicate.translation.detect",
    # The settings-aware calls the commands make (syndicate.runs.project); the pipeline's
    # own translate_article (syndicate.translation.translate) takes every resource as given.
    "translate_article": "syndicate.runs.project",
    "plan_translation": "syndicate.translation.translate",
    # Engines
    "Engine": "syndicate.engines.base",
    "available_engines": "syndicate.engines.base",
    "create_engine": "syndicate.engines.base",
    # Settings and resources
    "Settings": "syndicate.config",
    "Outlet": "syndicate.config",
    "load_settings": "syndicate.config",
    "LocalizeOptions": "syndicate.localize.renderer",
    "RateTable": "syndicate.localize.rates",
    "load_rates": "syndicate.localize.rates",
    "TranslationMemory": "syndicate.resources.memory",
    "import_tmx": "syndicate.resources.tmx",
    "export_tmx": "syndicate.resources.tmx",
    "Glossary": "syndicate.resources.glossary",
    "load_glossary": "syndicate.resources.glossary",
    # Syndication
    "Partner": "syndicate.syndication.partners",
    "load_partners": "syndicate.syndication.partners",
    "Package": "syndicate.syndication.package",
    "build_package": "syndicate.runs.project",
    "write_package": "syndicate.syndication.package",
    # Review
    "ReviewStore": "syndicate.review.store",
    "load_bitext": "syndicate.runs.project",
    "export_xliff": "syndicate.runs.project",
    "import_xliff": "syndicate.runs.project",
    "edit_stats": "syndicate.review.stats",
    # Runs
    "TranslateOptions": "syndicate.runs.step",
    "translate_files": "syndicate.runs.project",
    "Outcome": "syndicate.runs.results",
    "Job": "syndicate.runs.batch",
    "BatchOptions": "syndicate.runs.batch",
    "BatchResult": "syndicate.runs.batch",
    "run_jobs": "syndicate.runs.batch",
    "BatchPlan": "syndicate.runs.plans",
    "load_plan": "syndicate.runs.plans",
    "run_batch": "syndicate.runs.project",
    "translate_options": "syndicate.runs.project",
    # Errors (the tree is drawn in syndicate.errors)
    "SyndicateError": "syndicate.errors",
    "UsageError": "syndicate.errors",
    "ConfigError": "syndicate.errors",
    "UnknownEngineError": "syndicate.errors",
    "InputError": "syndicate.errors",
    "MissingInputError": "syndicate.errors",
    "DetectionError": "syndicate.errors",
    "EngineError": "syndicate.errors",
    "EngineUnavailable": "syndicate.errors",
    "EngineTimeout": "syndicate.errors",
    "RateLimited": "syndicate.errors",
    "EngineAuthError": "syndicate.errors",
    "EngineQuotaError": "syndicate.errors",
    "EngineResponseError": "syndicate.errors",
    "QAError": "syndicate.errors",
    "OutputError": "syndicate.errors",
    "StorageError": "syndicate.errors",
    "DeliveryError": "syndicate.errors",
    "DeliveryAuthError": "syndicate.errors",
}
__all__ = [
    "Article",
    "BatchOptions",
    "BatchPlan",
    "BatchResult",
    "ConfigError",
    "DeliveryAuthError",
    "DeliveryError",
    "Detection",
    "DetectionError",
    "Document",
    "Engine",
    "EngineAuthError",
    "EngineError",
    "EngineQuotaError",
    "EngineResponseError",
    "EngineTimeout",
    "EngineUnavailable",
    "Finding",
    "Glossary",
    "InputError",
    "Job",
    "LocalizeOptions",
    "MissingInputError",
    "Outcome",
    "Outlet",
    "OutputError",
    "Package",
    "Partner",
    "QAError",
    "RateLimited",
    "RateTable",
    "ReviewStore",
    "Segment",
    "Settings",
    "StorageError",
    "SyndicateError",
    "TranslateOptions",
    "Translation",
    "TranslationMemory",
    "UnknownEngineError",
    "UsageError",
    "__version__",
    "available_engines",
    "build_package",
    "create_engine",
    "detect_language",
    "edit_stats",
    "export_tmx",
    "export_xliff",
    "import_page",
    "import_tmx",
    "import_xliff",
    "load_bitext",
    "load_glossary",
    "load_partners",
    "load_plan",
    "load_rates",
    "load_settings",
    "markdown_structure",
    "parse_article",
    "plan_translation",
    "read_article",
    "run_batch",
    "run_jobs",
    "segment_article",
    "translate_article",
    "translate_files",
    "translate_options",
    "write_package",
]

if TYPE_CHECKING:
    from syndicate.config import Outlet, Settings, load_settings
    from syndicate.engines.base import Engine, available_engines, create_engine
    from syndicate.errors import (
        ConfigError,
        DeliveryAuthError,
        DeliveryError,
        DetectionError,
        EngineAuthError,
        EngineError,
        EngineQuotaError,
        EngineResponseError,
        EngineTimeout,
        EngineUnavailable,
        InputError,
        MissingInputError,
        OutputError,
        QAError,
        RateLimited,
        StorageError,
        SyndicateError,
        UnknownEngineError,
        UsageError,
    )
    from syndicate.localize.rates import RateTable, load_rates
    from syndicate.localize.renderer import LocalizeOptions
    from syndicate.markdown.article import parse_article, read_article
    from syndicate.markdown.importer import import_page
    from syndicate.markdown.segment import Document, markdown_structure, segment_article
    from syndicate.resources.glossary import Glossary, load_glossary
    from syndicate.resources.memory import TranslationMemory
    from syndicate.resources.tmx import export_tmx, import_tmx
    from syndicate.review.stats import edit_stats
    from syndicate.review.store import ReviewStore
    from syndicate.runs.batch import BatchOptions, BatchResult, Job, run_jobs
    from syndicate.runs.plans import BatchPlan, load_plan
    from syndicate.runs.project import (
        build_package,
        export_xliff,
        import_xliff,
        load_bitext,
        run_batch,
        translate_article,
        translate_files,
        translate_options,
    )
    from syndicate.runs.results import Outcome
    from syndicate.runs.step import TranslateOptions
    from syndicate.syndication.package import Package, write_package
    from syndicate.syndication.partners import Partner, load_partners
    from syndicate.translation.detect import detect_language
    from syndicate.translation.translate import plan_translation
    from syndicate.types import Article, Detection, Finding, Segment, Translation


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'syndicate' has no attribute {name!r}")
