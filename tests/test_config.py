"""Settings layering: defaults < file < environment < flags, with sources and secret references."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.config import load_settings
from syndicate.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "syndicate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_layers_in_order(tmp_path: Path) -> None:
    """A flag beats the environment, which beats the file, which beats the default."""
    cfg = write(
        tmp_path, "engine: libre\nengines:\n  libre:\n    url: http://file\n    timeout: 5\n"
    )
    env = {"SYNDICATE_ENGINES__LIBRE__URL": "http://env", "SYNDICATE_ENGINES__LIBRE__RETRIES": "1"}
    s = load_settings(cfg, environ=env, overrides={"engine": "pseudo"})
    assert s.engine == "pseudo"
    assert s.engine_options("libre") == {"url": "http://env", "timeout": 5, "retries": 1}
    assert s.sources["engine"] == "option"
    assert s.sources["engines.libre.url"] == "env:SYNDICATE_ENGINES__LIBRE__URL"
    assert s.sources["engines.libre.timeout"] == f"file:{cfg}"


def test_defaults_without_any_file(tmp_path: Path) -> None:
    """No config anywhere: the built-in defaults."""
    s = load_settings(environ={})
    assert s.engine == "google" and s.sources["engine"] == "default" and s.path is None


def test_default_file_in_working_directory(tmp_path: Path) -> None:
    """./config/syndicate.yaml is picked up when present."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "syndicate.yaml").write_text("engine: pseudo\n")
    assert load_settings(environ={}).engine == "pseudo"


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    """A typo names the file and the likely key."""
    cfg = write(tmp_path, "engnie: libre\n")
    with pytest.raises(
        ConfigError, match=r"syndicate.yaml:1: unknown setting 'engnie'; did you mean 'engine'"
    ):
        load_settings(cfg, environ={})


def test_secret_references_are_resolved(tmp_path: Path) -> None:
    """{$env: NAME} reads the environment; an unset one fails only the engine that uses it."""
    from syndicate.engines.base import create_engine, engine_status

    cfg = write(tmp_path, "engines:\n  libre:\n    api_key: {$env: MY_KEY}\n")
    assert load_settings(cfg, environ={"MY_KEY": "k"}).engine_options("libre")["api_key"] == "k"
    settings = load_settings(cfg, environ={})
    assert settings.redacted()["engines"]["libre"]["api_key"] == "not configured (MY_KEY not set)"
    status = engine_status("libre", settings.engine_options("libre"))
    assert status["configured"] == "not configured (MY_KEY not set)"
    with pytest.raises(ConfigError, match=r"engines\.libre\.api_key .* MY_KEY, which is not set"):
        create_engine("libre", settings.engine_options("libre"))
    create_engine("pseudo", settings.engine_options("pseudo"))


def test_literal_secrets_are_refused(tmp_path: Path) -> None:
    """An API key written in a file is refused with the way to fix it."""
    cfg = write(tmp_path, "engines:\n  libre:\n    api_key: abc123\n")
    with pytest.raises(ConfigError, match=r"literal secret; write \{\$env: NAME\}"):
        load_settings(cfg, environ={})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("engine: [a\n", "syndicate.yaml:1: settings file is not valid YAML"),
        ("- a\n", "must be a mapping"),
        ("engines: libre\n", "'engines' must map"),
        ("engine: 3\n", "'engine' must be an engine name"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, message: str) -> None:
    """Broken config files name themselves and what is wrong."""
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ={})


def test_missing_explicit_file(tmp_path: Path) -> None:
    """--config naming a missing file is a configuration error."""
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_redacted_hides_secret_like_keys(tmp_path: Path) -> None:
    """Anything called key, token, secret or password is hidden for display."""
    env = {"SYNDICATE_ENGINES__DEEPL__API_KEY": "xyz", "SYNDICATE_ENGINES__DEEPL__URL": "http://u"}
    shown = load_settings(environ=env).redacted()
    assert shown["engines"]["deepl"] == {"api_key": "***", "url": "http://u"}


def test_the_config_file_in_use_is_said(tmp_path: Path) -> None:
    """config show (and -v) say which config file is in use, or that none is."""
    from tests.helpers import run

    none = run("-v", "config", "show")
    assert none.exit_code == 0
    assert none.stdout.startswith("# no config file (")
    assert "no config file" in none.stderr  # the -v log line
    cfg = write(tmp_path, "engine: pseudo\n")
    used = run("--config", str(cfg), "config", "show")
    assert used.stdout.startswith(f"# config file: {cfg}")


def test_a_command_needing_rates_or_partners_warns_when_none_are_found(tmp_path: Path) -> None:
    """No rates file, no partners file: a warning names the file looked for."""
    from tests.helpers import EXAMPLES, run

    result = run("localize", str(EXAMPLES[0]), "--to", "en")
    assert "the rates file config/rates.yaml does not exist" in result.stderr
    partners = run("export", str(EXAMPLES[0]), "--partner", "x", "--out", str(tmp_path / "o"))
    assert partners.exit_code == 2
    assert "no partners file at config/partners.yaml" in partners.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("engines:\n  libre:\n    urll: http://x\n", "engines.libre.urll; did you mean 'url'"),
        ("engines:\n  libr:\n    url: http://x\n", "engines.libr; did you mean 'libre'"),
    ],
)
def test_typos_inside_engine_settings_are_errors(tmp_path: Path, text: str, message: str) -> None:
    """A misspelt engine or engine setting is an error even when that engine is not used."""
    from tests.helpers import run

    cfg = write(tmp_path, text)
    result = run("--config", str(cfg), "translate", "x.md", "--to", "en", "--engine", "pseudo")
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_wrapped_error_keeps_its_place(tmp_path: Path) -> None:
    """A settings file that is not UTF-8 is a ConfigError that still knows file and line."""
    cfg = tmp_path / "syndicate.yaml"
    cfg.write_bytes(b"engine: pseudo\ntm: \xff\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(cfg, environ={})
    assert caught.value.path == cfg and caught.value.line == 2
    assert caught.value.problem.startswith("is not UTF-8")
    assert caught.value.message == f"{cfg}:2: {caught.value.problem}"


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("SYNDICATE_ENGINES__LIBRE", "5", "SYNDICATE_ENGINES__LIBRE: 'engines' must map"),
        ("SYNDICATE_QUEUE_VISIBILITY", "-5", "SYNDICATE_QUEUE_VISIBILITY: 'queue_visibility'"),
        ("SYNDICATE_TM_WAIT", "soon", "SYNDICATE_TM_WAIT: 'tm_wait' must be a number"),
    ],
)
def test_a_setting_from_the_environment_names_its_variable(
    name: str, value: str, said: str
) -> None:
    """An ill-typed setting from the environment names the variable that set it, a nested
    one too (a reviewer saw SYNDICATE_ENGINES named, which nobody had set)."""
    with pytest.raises(ConfigError) as caught:
        load_settings(None, environ={name: value})
    assert str(caught.value).startswith(said)
