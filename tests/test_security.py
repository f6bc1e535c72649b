"""The promises of SECURITY.md that no other test module checks on its own."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from syndicate.testing import LibreTranslateServer
from tests.helpers import EXAMPLES, run


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every outgoing connection is recorded; any but loopback is refused."""
    made: list[object] = []
    real = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        made.append(address)
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"test: connection to {address} refused")
        real(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield made


def test_offline_commands_open_no_connection(connections: list[object], tmp_path: Path) -> None:
    out = tmp_path / "out"
    sources = [str(p) for p in EXAMPLES]
    assert run("detect", sources[0]).exit_code == 0
    assert run("localize", sources[0], "--to", "en-GB").exit_code == 0
    assert (
        run(
            "translate", *sources, "--to", "en-GB,ja", "--engine", "pseudo", "--out", str(out)
        ).exit_code
        == 0
    )
    assert (
        run(
            "export",
            *map(str, out.glob("*.md")),
            "--format",
            "ninjs,rss,atom",
            "--out",
            str(tmp_path / "x"),
        ).exit_code
        == 0
    )
    assert (
        run(
            "batch",
            str(EXAMPLES[0].parent),
            "--to",
            "en",
            "--engine",
            "pseudo",
            "--out",
            str(tmp_path / "b"),
        ).exit_code
        == 0
    )
    assert connections == []


def test_an_online_engine_connects_to_its_configured_server_only(
    connections: list[object], libre: LibreTranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNDICATE_ENGINES__LIBRE__URL", libre.url)
    result = run("translate", str(EXAMPLES[0]), "--to", "en", "--engine", "libre", "--out", "o")
    assert result.exit_code == 0, result.stderr
    port = int(libre.url.rsplit(":", 1)[1].strip("/"))
    assert connections and {a[1] for a in connections} == {port}  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("syndicate.yaml", "engine: !!python/object/apply:os.system ['touch pwned']\n"),
        ("partners.yaml", "partners: !!python/object/new:os.system ['touch pwned']\n"),
        ("glossary.yaml", "keep: !!python/name:os.system\n"),
    ],
)
def test_config_cannot_run_code(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    config = tmp_path / "syndicate.yaml"
    if name != "syndicate.yaml":
        config.write_text(f"{name.split('.')[0]}: {tmp_path / name}\n", encoding="utf-8")
    result = (
        run("--config", str(config), "partners", "list")
        if name == "partners.yaml"
        else (
            run("--config", str(config), "glossary", "show")
            if name == "glossary.yaml"
            else run("--config", str(config), "config", "show")
        )
    )
    assert result.exit_code == 2
    assert "could not determine a constructor" in result.stderr
    assert not (tmp_path / "pwned").exists()
