"""What happened to each job of a run: one ``Outcome`` type and one serializer for both runners.

``translate --json`` and the batch report print outcomes the same way, under one
``RESULT_VERSION``; a batch report leaves out what depends on which run did the work (the
counts, and whether an output was written now or found unchanged), so that a resumed run
reports exactly what an uninterrupted one does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from syndicate.types import Finding

# 2: one shape for `translate --json` items and batch report jobs (outputs is a list,
# partner is always there).
RESULT_VERSION = "2"

Status = Literal["written", "unchanged", "planned", "returned", "skipped", "failed"]
RunStatus = Literal["success", "partial", "error"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One job's end: an article (``-`` for stdin) in one locale, for a partner or none."""

    source: str
    target: str
    status: Status
    partner: str | None = None
    outputs: tuple[str, ...] = ()
    source_lang: str | None = None
    segments: int = 0  # segments to translate
    sent: int = 0  # distinct segments sent to the engine
    characters: int = 0
    findings: tuple[Finding, ...] = ()
    error: str | None = None  # the error, redacted
    exit_code: int = 0  # the error's exit code
    text: str | None = None  # the translation, when returned instead of written

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def as_dict(self, *, stable: bool = False, relative_to: Path | None = None) -> dict[str, Any]:
        """The outcome as JSON data; ``stable``: the same whichever run did the work;
        ``relative_to``: outputs named inside that folder (a report travels with it)."""
        status = self.status
        outputs = [
            Path(o).resolve().relative_to(relative_to.resolve()).as_posix() if relative_to else o
            for o in self.outputs
        ]
        data: dict[str, Any] = {
            "source": self.source,
            "target": self.target,
            "partner": self.partner,
            "status": "succeeded" if stable and status in ("written", "unchanged") else status,
            "outputs": outputs,
            "findings": [f.as_dict() for f in self.findings],
            "error": self.error,
        }
        if not stable:
            data |= {
                "source_lang": self.source_lang,
                "segments": self.segments,
                "sent": self.sent,
                "characters": self.characters,
            }
        return data


def run_status(outcomes: Sequence[Outcome], *, other_errors: bool = False) -> RunStatus:
    """``success`` when nothing failed; ``error`` when every job failed; else ``partial``."""
    failed = [o for o in outcomes if o.failed]
    if not failed and not other_errors:
        return "success"
    return "error" if failed and len(failed) == len(outcomes) else "partial"
