"""What happened to each job of a run: one ``Outcome`` type and one serializer for both runners.

``translate --json`` and the batch report print outcomes the same way, under one
``RESULT_VERSION``; a batch report leaves out what depends on which run did the work (the
counts, and whether an output was written now or found unchanged), so that a resumed run
reports exactly what an uninterrupted one does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from syndicate.types import Finding
from syndicate.vocabulary import JobStatus, ReportStatus

# 2: one shape for `translate --json` items and batch report jobs (outputs is a list,
# partner is always there).
# 3: one vocabulary for them (``vocabulary.JobStatus``): a report job that ended with its
# output in place is `written` (it was `succeeded`), a job a stopped run never started is
# `not-run` (it was `failed`), an output left as people edited it is `kept` (it was
# `written`), and `beside` names the run's own translation written beside it.
# 4: a batch report's packages say `built` (the package is in the output folder), not
# `delivered`, which a reader took for sent (sending is `deliver`'s, reported apart).
RESULT_VERSION = "4"

Status = JobStatus
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
    # The run's own translation, written beside the output (``<stem>.machine.md``) because
    # the output keeps what people edited in it.
    beside: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @property
    def message(self) -> str:
        """The error as one line naming the job once: ``FILE[:LINE]: LOCALE: problem``.
        An article's own errors already begin with its path (and line), and a QA refusal
        with its path and locale: they are not named twice."""
        error = self.error or ""
        if error.startswith(f"{self.source}: {self.target}: "):
            return error
        at = re.match(rf"{re.escape(self.source)}(:\d+)?: ", error)
        if at is None:
            return f"{self.source}: {self.target}: {error}"
        return f"{self.source}{at.group(1) or ''}: {self.target}: {error[at.end() :]}"

    @property
    def ended_well(self) -> bool:
        """Whether the job did what was asked of it (not failed, not left undone)."""
        return self.status not in ("failed", "not-run")

    def as_dict(self, *, stable: bool = False, relative_to: Path | None = None) -> dict[str, Any]:
        """The outcome as JSON data; ``stable``: the same whichever run did the work;
        ``relative_to``: outputs named inside that folder (a report travels with it)."""
        outputs = [_inside(Path(o), relative_to) if relative_to else o for o in self.outputs]
        data: dict[str, Any] = {
            "source": self.source,
            "target": self.target,
            "partner": self.partner,
            "status": _final(self.status) if stable else self.status,
            "outputs": outputs,
            "findings": [f.as_dict() for f in self.findings],
            "error": self.error,
        }
        if not stable:  # what depends on which run did the work
            data |= {
                "beside": self.beside,
                "source_lang": self.source_lang,
                "segments": self.segments,
                "sent": self.sent,
                "characters": self.characters,
            }
        return data


def _final(status: JobStatus) -> ReportStatus:
    """How a job ended, whichever run did the work: an output in place is `written`, be it
    written now, found unchanged or kept as people edited it (a resumed run, or one after
    it, must report what an uninterrupted one does)."""
    if status in ("written", "kept", "unchanged"):
        return "written"
    if status in ("planned", "failed", "not-run"):
        return status
    raise ValueError(f"a batch job cannot end {status!r}")


def run_status(outcomes: Sequence[Outcome], *, other_errors: bool = False) -> RunStatus:
    """``success`` when every job ended well; ``error`` when none did (every one failed or
    was not run); else ``partial``."""
    bad = [o for o in outcomes if not o.ended_well]
    if not bad and not other_errors:
        return "success"
    return "error" if bad and len(bad) == len(outcomes) else "partial"


def _inside(path: Path, folder: Path) -> str:
    """A path as named inside ``folder``: as written when it is written inside it (a run's
    outputs are ``out / name``), else as the two resolve."""
    try:
        inside = path.relative_to(folder)
    except ValueError:
        inside = None
    if inside is None or ".." in inside.parts:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    return inside.as_posix()
