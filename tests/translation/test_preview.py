"""``syndicate localize`` as a library call: entities, renderings, rates, no engine."""

from __future__ import annotations

import json

from syndicate.config import load_settings
from syndicate.markdown.article import read_article
from syndicate.runs.project import localize_options
from syndicate.translation.preview import preview
from tests.helpers import EXAMPLES, ROOT, run


def test_preview_is_what_the_command_prints() -> None:
    """The command prints the library's preview, and every money amount is rendered."""
    cfg = ROOT / "config" / "syndicate.yaml"
    article = EXAMPLES[0]
    options = localize_options(load_settings(cfg, environ={}))
    found = preview(read_article(article), "en-GB", options)
    assert any(s.kind == "money" for s in found.spots)
    assert all(s.rendered for s in found.spots)
    printed = run("--config", str(cfg), "localize", str(article), "--to", "en-GB", "--json")
    assert json.loads(printed.stdout) == {"path": str(article), **found.as_dict()}
