"""English locales cost one English translation: the engine's language, not the locale, counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.engines.base import engine_language
from syndicate.markdown.article import parse_article
from syndicate.testing import LibreTranslateServer
from tests.helpers import EXAMPLES, run

NOW = "2025-06-25T14:00:00+07:00"
ENGLISHES = "en-GB,en-US,en-SG,en-AU"


def _cost(
    libre: LibreTranslateServer, tmp_path: Path, command: str, to: str, env: pytest.MonkeyPatch
) -> tuple[int, int]:
    """Requests and characters the server counted for one run with a fresh memory."""
    name = f"{command}-{to.replace(',', '_')}"
    cfg = tmp_path / f"{name}.yaml"
    cfg.write_text(f"engines:\n  libre:\n    url: {libre.url}\n    retries: 0\n", encoding="utf-8")
    env.setenv("SYNDICATE_TM", str(tmp_path / f"{name}.sqlite3"))
    before = (len(libre.requests), libre.characters)
    args = [str(p) for p in EXAMPLES] if command == "translate" else [str(EXAMPLES[0].parent)]
    result = run(
        "--config", str(cfg), command, *args, "--to", to, "--engine", "libre",
        "--out", str(tmp_path / name), "--now", NOW,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return len(libre.requests) - before[0], libre.characters - before[1]


@pytest.mark.parametrize("command", ["translate", "batch"])
def test_four_englishes_cost_what_one_english_costs(
    command: str, libre: LibreTranslateServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--to en-GB,en-US,en-SG,en-AU: the server's request and character counters equal --to en's."""
    english = _cost(libre, tmp_path, command, "en", monkeypatch)
    four = _cost(libre, tmp_path, command, ENGLISHES, monkeypatch)
    assert english[0] > 0
    assert four == english
    # ... and each locale still gets its own dates and amounts.
    out = tmp_path / f"{command}-{ENGLISHES.replace(',', '_')}"
    us = parse_article((out / f"{EXAMPLES[0].stem}.en-US.md").read_text(encoding="utf-8"))
    gb = parse_article((out / f"{EXAMPLES[0].stem}.en-GB.md").read_text(encoding="utf-8"))
    assert us.body != gb.body


def test_engine_language_of_locales() -> None:
    """LibreTranslate and Google have one English and one Malay; engines without a mapping
    keep every locale apart."""
    assert {engine_language("libre", t) for t in ENGLISHES.split(",")} == {"en"}
    assert engine_language("google", "en-GB") == "en"
    assert engine_language("libre", "zh-CN") == "zh"  # a tag as written: Simplified inside
    assert engine_language("deepl", "en-GB") == "en-GB"
    assert engine_language("no-such-engine", "en-GB") == "en-GB"


def test_an_engine_answers_from_its_own_class_without_reading_the_registry() -> None:
    """Given the engine itself, its class says which language it translates into: the
    registry (every installed package's metadata scanned) is not read for it. An engine
    that does not derive from EngineBase is still looked up by its name."""
    from syndicate.engines import base
    from syndicate.engines.libre import LibreEngine
    from syndicate.engines.pseudo import PseudoEngine

    class Fake:  # the protocol alone, registered name "libre"
        name = "libre"
        max_chars = 1000

        def translate(self, texts: list[str], source: str, target: str) -> list[str]:
            return texts

    def forget() -> None:
        base._registered.cache_clear()
        base._engine_class.cache_clear()

    forget()
    try:
        libre = LibreEngine.with_settings(url="http://127.0.0.1:9")
        assert engine_language(libre, "en-GB") == "en"
        assert engine_language(PseudoEngine(), "en-GB") == "en-GB"
        assert base._registered.cache_info().currsize == 0  # not read
        assert engine_language(Fake(), "en-AU") == "en"  # by its name: read now
        assert base._registered.cache_info().currsize == 1
    finally:
        forget()
