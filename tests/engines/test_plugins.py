"""A third-party engine installed as a package is found through the entry-point group."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import syndicate_command

PLUGIN = Path(__file__).resolve().parent.parent / "plugins" / "syndicate-echo"


def test_example_plugin_installs_and_is_listed_and_used(tmp_path: Path) -> None:
    """pip installs the example plugin; `syndicate engines` lists it and `translate` uses it."""
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(PLUGIN),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), *sys.path])}
    listed = subprocess.run(
        syndicate_command("engines", "--json"),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = {row["name"]: row for row in json.loads(listed.stdout)["engines"]}
    assert rows["echo"]["from"] == "syndicate-echo" and rows["echo"]["configured"] == "yes"
    article = tmp_path / "a.md"
    article.write_text(
        "Pemerintah mengumumkan program baru untuk petani di seluruh negeri hari ini.\n"
    )
    done = subprocess.run(
        syndicate_command(
            "translate",
            str(article),
            "--to",
            "en",
            "--engine",
            "echo",
            "--no-tm",
            "--money",
            "keep",
        ),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "engine: echo" in (tmp_path / "a.en.md").read_text()
