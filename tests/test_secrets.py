"""API keys never appear in logs, errors, outputs, reports or `config show`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

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


def test_config_show_hides_the_store_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared store's URL, given whole by reference as the README says, is shown with
    its password masked (found by a user: `config show --sources` printed it)."""
    monkeypatch.setenv("NEWSROOM_STORE_URL", "postgresql://syndicate:s3cr3t-pw@db.example/news")
    config = tmp_path / "syndicate.yaml"
    config.write_text("store: {$env: NEWSROOM_STORE_URL}\n", encoding="utf-8")
    shown = [
        run("--config", str(config), "config", "show"),
        run("--config", str(config), "config", "show", "--sources"),
    ]
    assert all(r.exit_code == 0 for r in shown), shown[0].stderr
    text = everything_written(*shown)
    assert "s3cr3t-pw" not in text and "postgresql://syndicate:***@db.example/news" in text


@pytest.mark.parametrize(
    ("url", "shown_as"),
    [
        (
            "postgresql://syndicate@db.example/news?password=s3cr3t-pw&sslmode=require",
            "postgresql://syndicate@db.example/news?password=***&sslmode=require",
        ),
        (
            "postgresql://syndicate:s3cr3t%2Dpw@db.example/news?sslpassword=s3cr3t-key",
            "postgresql://syndicate:***@db.example/news?sslpassword=***",
        ),
    ],
)
def test_a_store_password_in_the_url_query_is_hidden_too(
    url: str, shown_as: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libpq takes a password from the URL's query as well (``?password=``): it is masked
    in `config show` and in any message, given by reference or as SYNDICATE_STORE (a
    reviewer found both printed whole)."""
    monkeypatch.setenv("NEWSROOM_STORE_URL", url)
    config = tmp_path / "syndicate.yaml"
    config.write_text("store: {$env: NEWSROOM_STORE_URL}\n", encoding="utf-8")
    shown = [run("--config", str(config), "config", "show", "--sources")]
    monkeypatch.delenv("NEWSROOM_STORE_URL")
    monkeypatch.setenv("SYNDICATE_STORE", url)
    shown.append(run("config", "show"))
    assert all(r.exit_code == 0 for r in shown), shown[0].stderr
    text = everything_written(*shown)
    assert "s3cr3t" not in text and text.count(shown_as) == 2
    # A driver's message may carry them decoded (%2D is "-"): masked as well.
    assert "s3cr3t" not in redact(f"FATAL: connection to {unquote(url)} refused")
    # The rest of the URL is no secret: a message that quotes it still names the server.
    assert "db.example/news" in redact(f"cannot reach {url}")


def test_a_literal_password_in_the_store_query_is_refused(tmp_path: Path) -> None:
    """Written in the config file, a query password is a literal secret like user:password."""
    config = tmp_path / "syndicate.yaml"
    config.write_text("store: postgresql://editor@db.example/news?password=s3cret\n")
    result = run("--config", str(config), "config", "show")
    assert result.exit_code == 2
    assert "literal password" in result.stderr and "s3cret" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://editor:s3cret#2pw@127.0.0.1:9/news",  # urllib ends the user at #
        "postgresql://editor@127.0.0.1:9/news?password=s3cret#2pw",
        "postgresql://editor:s3cret]2pw@127.0.0.1:9/news",  # urllib: not a URL at all
        "postgresql://editor:s3cret2pw@[127.0.0.1:9/news",
    ],
)
def test_a_store_password_is_found_as_libpq_reads_the_url(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libpq ends a URL's password at the ``@`` alone and its query values at ``&``;
    urllib ends them at ``#`` or ``?`` too, or gives up on a bracket: each password is
    masked in `config show` and in the error of a store that cannot be opened, and
    refused as a literal in the config file (a reviewer saw all three show it)."""
    monkeypatch.setenv("SYNDICATE_STORE", url)
    shown = [run("config", "show"), run("tm", "stats")]
    assert shown[0].exit_code == 0 and shown[1].exit_code != 0
    assert "s3cret" not in everything_written(*shown)
    assert "***" in shown[0].stdout and "syndicate: error:" in shown[1].stderr
    monkeypatch.delenv("SYNDICATE_STORE")
    config = tmp_path / "syndicate.yaml"
    config.write_text(f"store: '{url}'\n", encoding="utf-8")
    literal = run("--config", str(config), "config", "show")
    assert literal.exit_code == 2 and "literal password" in literal.stderr
    assert "s3cret" not in literal.stderr


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


def test_a_delivery_endpoint_that_echoes_the_secret_cannot_leak_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The push secret, quoted by the receiver in its 503 and 400 answers, is masked in the
    retry log lines, the error line, the --json report and every row of the journal."""
    import shutil

    from tests.delivery.newsroom import Newsroom
    from tests.delivery.receiver import SECRET, https_receiver

    translated = tmp_path / "translated"
    result = run(
        "-q", "translate", str(EXAMPLES[0]), "--to", "en-US", "--engine", "pseudo",
        "--out", str(translated), "--no-tm", "--now", "2025-07-01T00:00:00Z",
    )  # fmt: skip
    assert result.exit_code == 0
    monkeypatch.setenv("WIRE_PUSH_SECRET", SECRET)
    with https_receiver(tmp_path) as receiver:
        receiver.faults.leak = True
        receiver.faults.unavailable, receiver.faults.bad_request_on_post = 2, 3
        delivery = {
            "type": "https",
            "url": receiver.url,
            "secret": {"$env": "WIRE_PUSH_SECRET"},
            "ca_file": str(receiver.ca_file),
            "backoff": 0.01,
        }
        newsroom = Newsroom(tmp_path / "desk", translated, delivery)
        config = str(newsroom.config)
        out = str(newsroom.out)
        results = [
            run("--config", config, "-vv", "deliver", "--out", out),
            run("--config", config, "-v", "deliver", "--out", out, "--json", "--retry-failed"),
            run("deliveries", "--out", out, "--json"),
            run("deliveries", "--out", out),
            run("--config", config, "partners", "show", "wire"),
        ]
    assert [r.exit_code for r in results] == [1, 0, 0, 0, 0]  # the re-run completes
    text = everything_written(*results)
    assert "we do not take this file with the secret ***" in text and "busy (secret ***)" in text
    assert SECRET not in text
    journal = (newsroom.out / ".syndicate" / "deliveries.sqlite").read_bytes()
    journal += b"".join(p.read_bytes() for p in newsroom.out.glob(".syndicate/*-wal"))
    assert SECRET.encode() not in journal
    shutil.rmtree(tmp_path / "desk")


def test_a_literal_delivery_secret_is_refused_with_its_line(tmp_path: Path) -> None:
    partners = tmp_path / "partners.yaml"
    partners.write_text(
        "partners:\n  - id: wire\n    name: Wire\n    locales: [en]\n    formats: [ninjs]\n"
        "    delivery:\n      type: https\n      url: https://x.example/in\n"
        f"      secret: {KEY}\n",
        encoding="utf-8",
    )
    (tmp_path / "syndicate.yaml").write_text("partners: partners.yaml\n", encoding="utf-8")
    result = run("--config", str(tmp_path / "syndicate.yaml"), "partners", "list")
    assert result.exit_code == 2
    assert "partners.yaml:6: partner 'wire': delivery.secret is a literal secret" in result.stderr
    assert KEY not in result.stderr
