"""The command line: click wiring only. Each command calls the library and renders the result.

Heavy modules (requests, babel, markdown-it, langdetect) are imported inside the
commands, so that ``syndicate --help`` starts fast. Every ``SyndicateError`` becomes one
line on stderr and its exit code in ``app.SyndicateGroup.invoke``, and nowhere else.
"""

from syndicate.cli import (  # noqa: F401  (they register commands)
    articles,
    batch,
    delivery,
    resources,
    review,
    syndication,
)
from syndicate.cli.app import cli, main

__all__ = ["cli", "main"]
