"""API keys never appear in logs, errors, outputs, reports or `config show`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from syndicate.redact import redact, register
from syndicate.testing import LibreTranslateServer
from tests.helpers import EXAMPLES, run

KEY = "sk-live-7f3a9c1e5b2d4f60"


def everything_written(*results: Result, folders: tuple[Path, ...] = ()) -> str:
    texts = [r.stdout + r.stderr for r in results]
    for folder in folders:
        texts += [
            p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file()
        ]
    return "\n".join(texts)


@pytest.fixture
def keyed(libre: LibreTranslateServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A config whose libre key comes from the environment, as the README says it must."""
    libre.api_key = KEY
    monkeypatch.setenv("LIBRE_KEY", KEY)
    config = tmp_path / "syndicate.yaml"
    config.write_text(
        f"engines:\n  libre:\n    url: {libre.url}\n    api_key: {{$env: LIBRE_KEY}}\n"
        "    retries: 1\n    backoff: 0.01\n",
        encoding="utf-8",
    )
    return config


def test_config_show_hides_the_key(keyed: Path) -> None:
    shown = [
        run("--config", str(keyed), "config", "show"),
        run("--config", str(keyed), "config", "show", "--sources"),
    ]
    assert all(r.exit_code == 0 for r in shown)
    text = everything_written(*shown)
    assert KEY not in text and "***" in text


def test_a_server_that_echoes_the_key_cannot_leak_it(
    keyed: Path, libre: LibreTranslateServer, tmp_path: Path
) -> None:
    """The key is in the server's error message, the retry log lines and the batch report."""
    libre.fail(503, times=2, body=f'{{"error": "overloaded, key {KEY} throttled"}}')
    libre.fail(403, times=50, body=f'{{"error": "Invalid API key: {KEY}"}}')
    out = tmp_path / "out"
    common = ("--to", "en", "--engine", "libre", "--out", str(out))
    results = [
        run("--config", str(keyed), "-vv", "translate", str(EXAMPLES[0]), *common),
        run("--config", str(keyed), "-v", "translate", str(EXAMPLES[0]), *common, "--json"),
        run("--config", str(keyed), "-v", "batch", str(EXAMPLES[0].parent), *common, "--json"),
    ]
    assert [r.exit_code for r in results] == [1, 1, 3]
    text = everything_written(*results, folders=(out,))
    assert "Invalid API key: ***" in text
    assert KEY not in text


def test_a_successful_run_writes_the_key_nowhere(keyed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(
        "--config",
        str(keyed),
        "-vv",
        "batch",
        str(EXAMPLES[0].parent),
        "--to",
        "en,ja",
        "--engine",
        "libre",
        "--out",
        str(out),
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    assert KEY not in everything_written(result, folders=(out,))


def test_keys_given_by_environment_variable_are_redacted_too(
    libre: LibreTranslateServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    libre.api_key = "env-given-key-123"
    libre.fail(403, times=50, body='{"error": "bad key env-given-key-123"}')
    monkeypatch.setenv("SYNDICATE_ENGINES__LIBRE__URL", libre.url)
    monkeypatch.setenv("SYNDICATE_ENGINES__LIBRE__API_KEY", "env-given-key-123")
    result = run("translate", str(EXAMPLES[0]), "--to", "en", "--engine", "libre", "--out", "o")
    assert result.exit_code == 1
    assert "env-given-key-123" not in result.stderr and "bad key ***" in result.stderr


def test_redact_masks_the_longest_secret_first() -> None:
    register("abcd-1234")
    register("abcd-1234-extended")
    assert redact("x abcd-1234-extended y abcd-1234") == "x *** y ***"
    register("ab")  # too short to mask without hiding ordinary words
    assert redact("ab") == "ab"


def test_an_unset_secret_breaks_only_the_engine_that_uses_it(tmp_path: Path) -> None:
    """config show, engines, localize and another engine work; the engine itself says why."""
    config = tmp_path / "syndicate.yaml"
    config.write_text(
        "engines:\n  deepl:\n    api_key: {$env: DEEPL_KEY_UNSET}\n", encoding="utf-8"
    )
    show = run("--config", str(config), "config", "show")
    assert show.exit_code == 0, show.stderr
    assert "not configured (DEEPL_KEY_UNSET not set)" in show.stdout
    engines = run("--config", str(config), "engines")
    assert engines.exit_code == 0
    assert "deepl" in engines.stdout
    assert "not configured (DEEPL_KEY_UNSET not set)" in engines.stdout
    assert run("--config", str(config), "localize", str(EXAMPLES[0]), "--to", "en").exit_code == 0
    out = tmp_path / "out"
    common = (str(EXAMPLES[0]), "--to", "en", "--out", str(out))
    pseudo = run("--config", str(config), "translate", *common, "--engine", "pseudo")
    assert pseudo.exit_code == 0, pseudo.stderr
    deepl = run("--config", str(config), "translate", *common, "--engine", "deepl")
    assert deepl.exit_code == 2
    assert "engines.deepl.api_key refers to the environment variable DEEPL_KEY_UNSET" in (
        deepl.stderr
    )
