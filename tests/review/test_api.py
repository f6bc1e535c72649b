"""The review part of the public API, as the README shows it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import syndicate
from tests.helpers import EXAMPLES


def test_readme_review_snippet(tmp_path: Path) -> None:
    """Translate with a review store, export XLIFF, approve, read the statistics."""
    os.chdir(tmp_path)
    shutil.copy(EXAMPLES[0], tmp_path / EXAMPLES[0].name)
    sources = [EXAMPLES[0].name]
    store = syndicate.ReviewStore("state/review.sqlite3")
    [outcome] = syndicate.translate_files(
        sources, ["en-GB"], engine="pseudo", review=store, out_dir=Path("out/r")
    )
    output = Path(outcome.outputs[0])
    xliff = syndicate.export_xliff([syndicate.load_bitext(sources[0], output)], store=store)
    assert xliff.startswith(b"<?xml") and b'state="translated"' in xliff
    store.approve(output, who="ayu")
    state = store.get(output)
    assert state is not None and state.approved_by == "ayu"
    [row] = [s.as_dict() for s in syndicate.edit_stats(store)]
    assert row["engine"] == "pseudo" and row["approved"] == row["approved_unchanged"] > 0
    store.close()
