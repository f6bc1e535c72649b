"""The review page: source and target side by side, served on 127.0.0.1 behind a token.

The standard library's HTTP server and Jinja2 templates (the ``review`` extra): one page,
its CSS and script inline (no build step, no CDN, nothing fetched: it works offline), and
one JSON endpoint for the editor's actions. Every request must carry the token printed in
the URL (the page's query, the script's ``X-Review-Token`` header) and a ``Host`` of this
machine (so that another site's page cannot reach the server through DNS rebinding), else
403. Markup, amounts and dates are chips the editor cannot delete (the script refuses it,
and the server checks every save like engine output all the same).
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from syndicate.errors import SyndicateError, UsageError, install_hint
from syndicate.placeholders import TOKEN_RE
from syndicate.redact import redact
from syndicate.resources.memory import TranslationMemory
from syndicate.review.bitext import Bitext, Pair
from syndicate.review.changes import Change, save
from syndicate.review.edits import take
from syndicate.review.store import ReviewStore, State, TranslationState
from syndicate.types import Placeholder

EXTRA_HINT = f"install the review extra: {install_hint('review')}"
MAX_BODY = 1024 * 1024


def _jinja() -> Any:
    try:
        import jinja2
    except ImportError:
        raise UsageError("the review page needs Jinja2", hint=EXTRA_HINT) from None
    return jinja2.Environment(
        loader=jinja2.PackageLoader("syndicate.review", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


@dataclass
class _Step:
    """What one action changed, to undo it: (translation, position, template, state)."""

    before: list[tuple[int, int, str | None, State]] = field(default_factory=list)


class ReviewApp:
    """The page and its actions, for a set of translations; no sockets here."""

    def __init__(
        self,
        bitexts: Sequence[Bitext],
        *,
        store: ReviewStore,
        who: str,
        memory: TranslationMemory | None = None,
        reload: Callable[[Bitext], Bitext],
        token: str | None = None,
    ) -> None:
        self.bitexts = list(bitexts)
        self.store = store
        self.who = who
        self.memory = memory
        self.reload = reload
        self.token = token or secrets.token_urlsafe(24)
        self.history: list[_Step] = []
        self.lock = threading.Lock()
        self.env = _jinja()
        self.states = [take(store, b, how="read") for b in self.bitexts]

    # --- HTTP ---------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes,
        allowed_hosts: set[str],
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: (status, headers, body)."""
        url = urlsplit(target)
        given = parse_qs(url.query).get("token", [""])[0] or headers.get("x-review-token", "")
        if headers.get("host", "") not in allowed_hosts or not hmac.compare_digest(
            given.encode(), self.token.encode()
        ):
            return _text(HTTPStatus.FORBIDDEN, "forbidden: open the URL syndicate review printed")
        with self.lock:
            if method in ("GET", "HEAD") and url.path == "/":  # the server drops HEAD's body
                return self._page()
            if method == "POST" and url.path == "/api":
                try:
                    request = json.loads(body or b"{}")
                except ValueError:
                    return _json(HTTPStatus.BAD_REQUEST, {"ok": False, "message": "bad JSON"})
                try:
                    return self._action(request)
                except SyndicateError as exc:  # a full disk, a locked store: said on the page
                    return _json(
                        HTTPStatus.INTERNAL_SERVER_ERROR,
                        {"ok": False, "message": f"not saved: {redact(str(exc))}"},
                    )
        return _text(HTTPStatus.NOT_FOUND, "not found")

    def _page(self) -> tuple[int, dict[str, str], bytes]:
        nonce = secrets.token_urlsafe(16)
        html = self.env.get_template("review.html").render(
            nonce=nonce,
            token=self.token,
            title=page_title(self.bitexts),
            translations=[
                _view(i, b, s, self.memory)
                for i, (b, s) in enumerate(zip(self.bitexts, self.states, strict=True))
            ],
        )
        policy = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        return (
            HTTPStatus.OK,
            {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": policy},
            html.encode("utf-8"),
        )

    # --- actions ------------------------------------------------------------------------

    def _action(self, request: Any) -> tuple[int, dict[str, str], bytes]:
        action = request.get("action") if isinstance(request, dict) else None
        if action == "undo":
            return self._undo()
        try:
            index = int(request["translation"])
            bitext = self.bitexts[index]
        except (KeyError, ValueError, TypeError, IndexError):
            return _json(HTTPStatus.BAD_REQUEST, {"ok": False, "message": "no such translation"})
        if action == "approve-article":
            positions = [p.position for p in bitext.pairs]
            changes = {p: Change(None, "approved") for p in positions}
        elif action in ("save", "approve"):
            try:
                position = int(request["position"])
                bitext.pair(position)
                template = str(request["template"])
            except (KeyError, ValueError, TypeError):
                return _json(HTTPStatus.BAD_REQUEST, {"ok": False, "message": "no such segment"})
            state: State = "approved" if action == "approve" else "edited"
            if action == "save" and template == bitext.pair(position).target_template:
                state = self._state(index, position)  # nothing changed: the state stays
            changes = {position: Change(template, state)}
        else:
            return _json(HTTPStatus.BAD_REQUEST, {"ok": False, "message": "unknown action"})
        return self._apply(index, changes, remember=True)

    def _state(self, index: int, position: int) -> State:
        for s in self.states[index].segments:
            if s.position == position:
                return s.state
        return "machine"

    def _apply(
        self, index: int, changes: dict[int, Change], *, remember: bool
    ) -> tuple[int, dict[str, str], bytes]:
        bitext = self.bitexts[index]
        before = [
            (index, p, bitext.pair(p).target_template, self._state(index, p)) for p in changes
        ]
        saved = save(bitext, changes, store=self.store, who=self.who, memory=self.memory)
        self.bitexts[index] = self.reload(bitext)
        self.states[index] = saved.state
        if remember:
            kept = [b for b in before if b[1] not in saved.refused]
            if kept:
                self.history.append(_Step(kept))
        if saved.refused:
            position, why = next(iter(saved.refused.items()))
            return _json(
                HTTPStatus.UNPROCESSABLE_ENTITY,
                {"ok": False, "position": position, "message": f"not saved: {why}"}
                | _summary(saved.state),
            )
        return _json(HTTPStatus.OK, {"ok": True, "message": "saved"} | _summary(saved.state))

    def _undo(self) -> tuple[int, dict[str, str], bytes]:
        if not self.history:
            return _json(HTTPStatus.OK, {"ok": False, "message": "nothing to undo"})
        step = self.history.pop()
        result: tuple[int, dict[str, str], bytes] = _json(HTTPStatus.OK, {"ok": True})
        for index in sorted({b[0] for b in step.before}):
            changes = {p: Change(t, s) for i, p, t, s in step.before if i == index}
            result = self._apply(index, changes, remember=False)
        return result


def _summary(state: TranslationState) -> dict[str, Any]:
    return {
        "approved": state.approved,
        "approved_by": state.approved_by,
        "states": {str(s.position): s.state for s in state.segments},
    }


def _text(status: int, message: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, message.encode("utf-8")


def _json(status: int, data: Any) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=utf-8"}, body


# --- what the page shows --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chip:
    index: int
    kind: str  # markup, amount, date, number, term, name
    shown: str
    title: str
    label: str  # for screen readers


def page_title(bitexts: Sequence[Bitext]) -> str:
    """The browser tab's title: each article once, by the title its front matter gives (else
    its file name), with its locales, and how many translations when there are more than
    locales (the same article translated into several folders)."""
    articles: dict[str, dict[str, int]] = {}
    for b in bitexts:
        title = b.source.meta.get("title")
        path = b.source.path
        name = title if isinstance(title, str) and title.strip() else (path.name if path else "-")
        locales = articles.setdefault(" ".join(name.split()), {})
        locales[b.locale] = locales.get(b.locale, 0) + 1
    parts = []
    for name, locales in articles.items():
        count = sum(locales.values())
        several = f", {count} translations" if count > len(locales) else ""
        parts.append(f"{name} ({', '.join(locales)}{several})")
    return f"Review: {'; '.join(parts)}"


def _view(
    index: int, bitext: Bitext, state: TranslationState, memory: TranslationMemory | None
) -> dict[str, Any]:
    states = {s.position: s for s in state.segments}
    return {
        "index": index,
        "path": str(bitext.path),
        "source": str(bitext.source.path or "-"),
        "locale": bitext.locale,
        "source_lang": bitext.source_lang,
        "engine": bitext.engine,
        "approved": state.approved,
        "approved_by": state.approved_by,
        "approved_at": state.approved_at,
        "segments": [_segment(bitext, p, states, memory) for p in bitext.pairs],
    }


def _segment(
    bitext: Bitext, pair: Pair, states: dict[int, Any], memory: TranslationMemory | None
) -> dict[str, Any]:
    found = states.get(pair.position)
    findings = [f"{f.severity}: {f.message}" for f in bitext.findings(pair)]
    matches = bitext.near_matches(memory, pair)
    return {
        "position": pair.position,
        "where": pair.where,
        "state": found.state if found else "machine",
        "who": found.who if found else None,
        "source": _parts(pair, pair.source_template, source=True),
        "target": _parts(pair, pair.target_template or pair.target, source=False),
        "editable": pair.target_template is not None,
        "findings": findings,
        "matches": [
            {"score": m.score, "source": _flat(m.source), "target": _flat(m.target)}
            for m in matches
        ],
    }


def _parts(pair: Pair, template: str, *, source: bool) -> list[str | Chip]:
    by_index = {p.index: p for p in pair.placeholders}
    out: list[str | Chip] = []
    pos = 0
    for m in TOKEN_RE.finditer(template):
        out.append(template[pos : m.start()])
        pos = m.end()
        p = by_index.get(int(m.group(1)))
        if p is None:
            out.append(m.group(0))
            continue
        out.append(_chip(p, pair.forms.get(p.index, p.source), source=source))
    out.append(template[pos:])
    return [part for part in out if part != ""]


def _chip(p: Placeholder, rendered: str, *, source: bool) -> Chip:
    if p.entity is not None:
        kind = "date" if p.entity.kind in ("date", "time", "datetime") else "amount"
        shown = p.source if source else rendered
        return Chip(p.index, kind, shown, f"{p.source} → {rendered}", f"locked {kind}: {shown}")
    if p.replacement is not None:
        if p.replacement == p.source and not p.source[:1].isdigit():
            return Chip(p.index, "name", p.source, "kept name", f"kept name: {p.source}")
        kind = "number" if any(ch.isdigit() for ch in p.source) else "term"
        shown = p.source if source else p.replacement
        return Chip(
            p.index, kind, shown, f"{p.source} → {p.replacement}", f"locked {kind}: {shown}"
        )
    shown = p.source if len(p.source) <= 24 else p.source[:10] + "…" + p.source[-6:]
    return Chip(p.index, "markup", shown, p.source, f"locked markup: {p.source}")


def _flat(template: str) -> str:
    return TOKEN_RE.sub("•", template)


# --- serving --------------------------------------------------------------------------------


def make_server(app: ReviewApp, *, port: int = 0) -> HTTPServer:
    """An HTTP server for the app on 127.0.0.1 (``port`` 0: any free one)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "syndicate-review"
        sys_version = ""

        def _answer(self, method: str) -> None:
            """Answer a request; HEAD as GET, the same status and headers without a body
            (the standard library's handler answers 501 to a method it has no do_ for)."""
            size = int(self.headers.get("Content-Length") or 0)
            if size > MAX_BODY:
                status, headers, body = _text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too large")
            else:
                data = self.rfile.read(size) if size else b""
                given = {k.lower(): v for k, v in self.headers.items()}
                status, headers, body = app.handle(method, self.path, given, data, hosts)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_HEAD(self) -> None:
            self._answer("HEAD")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, format: str, *args: Any) -> None:
            return  # the URL holds the token: never logged

    server = HTTPServer(("127.0.0.1", port), Handler)
    bound = server.server_address[1]
    hosts = {f"127.0.0.1:{bound}", f"localhost:{bound}"}
    return server


def url_of(server: HTTPServer, app: ReviewApp) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/?token={app.token}"


def reloader(*, localize: Any = None, glossary: Any = None) -> Callable[[Bitext], Bitext]:
    """How the app reads a translation again after a save."""
    from syndicate.review.bitext import load_bitext

    def again(bitext: Bitext) -> Bitext:
        return load_bitext(
            bitext.source.path or Path("-"),
            bitext.path,
            locale=bitext.locale,
            localize=localize,
            glossary=glossary,
        )

    return again
