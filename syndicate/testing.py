"""Local servers that speak real engine wire protocols, for tests and benchmarks.

``LibreTranslateServer`` answers ``POST /translate`` as LibreTranslate does (JSON or form
fields, ``q`` a string or a list, ``{"error": ...}`` with 400/403/429/500), and
``GoogleMobileServer`` answers ``GET /m`` with the HTML page deep-translator scrapes.
Both run on 127.0.0.1 in a thread, count requests and characters, and can be told to
fail, to be slow, or to damage placeholders, so that users can test their own setups
without the internet, as our tests do.
"""

from __future__ import annotations

import html
import json
import random
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlparse

from syndicate.placeholders import TOKEN_RE

Translator = Callable[[str, str, str], str]  # (text, source, target) -> translation


def swapcase_translator(text: str, source: str, target: str) -> str:
    """A deterministic stand-in for a translation: letters change case, nothing else moves."""
    return text.swapcase()


@dataclass
class Failure:
    """An injected failure: the next ``times`` requests get ``status`` (with ``body``).

    ``truncate`` closes the connection halfway through the announced body; ``drip`` sends
    the body one byte at a time, that many seconds apart (a server that never quite stops).
    """

    status: int
    times: int = 1
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    truncate: bool = False
    drip: float = 0.0


class _Server:
    path = "/"

    def __init__(
        self,
        translator: Translator = swapcase_translator,
        *,
        latency: float = 0.0,
        api_key: str | None = None,
    ) -> None:
        self.translator = translator
        self.latency = latency
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        self.characters = 0
        self.failures: list[Failure] = []
        self.hang: float = 0.0  # seconds to stall before answering (timeouts)
        # Random trouble on a share of requests: 429 with Retry-After, 500, a stall of
        # `chaos_hang` seconds, or an answer whose placeholders are dropped.
        self.chaos = 0.0
        self.chaos_hang = 2.0
        self._rng = random.Random(0)
        self.capacity: int | None = None  # requests served at once; the rest wait their turn
        self._slots: threading.Semaphore | None = None
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.path}"

    def fail(
        self,
        status: int,
        times: int = 1,
        body: str = "",
        *,
        content_type: str = "application/json",
        truncate: bool = False,
        drip: float = 0.0,
        **headers: str,
    ) -> None:
        self.failures.append(
            Failure(status, times, body, dict(headers), content_type, truncate, drip)
        )

    def start(self) -> _Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _next_failure(self) -> Failure | None:
        with self._lock:
            if not self.failures:
                return None
            failure = self.failures[0]
            failure.times -= 1
            if failure.times <= 0:
                self.failures.pop(0)
            return failure

    def _record(self, entry: dict[str, Any], chars: int) -> None:
        with self._lock:
            self.requests.append(entry)
            self.characters += chars

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server._dispatch(self, "GET")

            def do_POST(self) -> None:
                server._dispatch(self, "POST")

        return Handler

    def _dispatch(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        if self.capacity and self._slots is None:
            with self._lock:
                self._slots = self._slots or threading.Semaphore(self.capacity)
        if self._slots is not None:
            with self._slots:
                self._serve(handler, method)
        else:
            self._serve(handler, method)

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        if self.hang:
            time.sleep(self.hang)
        if self.latency:
            time.sleep(self.latency)
        trouble = None
        if self.chaos:
            with self._lock:
                if self._rng.random() < self.chaos:
                    trouble = self._rng.choice(["429", "500", "hang", "drop"])
        if trouble == "429":
            self._send(
                handler,
                429,
                json.dumps({"error": "Slowdown"}),
                "application/json",
                {"Retry-After": "0"},
            )
            return
        if trouble == "500":
            self._send(
                handler, 500, json.dumps({"error": "Cannot translate text"}), "application/json", {}
            )
            return
        if trouble == "hang":
            time.sleep(self.chaos_hang)
        failure = self._next_failure()
        if failure is not None:
            self._send(
                handler,
                failure.status,
                failure.body if failure.body or failure.status < 400 else '{"error": "injected"}',
                failure.content_type,
                failure.headers,
                truncate=failure.truncate,
                drip=failure.drip,
            )
            return
        status, body, ctype = self.respond(handler, method, mangle=trouble == "drop")
        self._send(handler, status, body, ctype, {})

    def respond(
        self, handler: BaseHTTPRequestHandler, method: str, *, mangle: bool = False
    ) -> tuple[int, str, str]:
        """Answer a request; ``mangle`` drops the placeholders from the translations."""
        raise NotImplementedError

    def _translate(self, text: str, source: str, target: str, mangle: bool) -> str:
        out = self.translator(text, source, target)
        return TOKEN_RE.sub("", out) if mangle else out

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: str,
        ctype: str,
        headers: dict[str, str],
        *,
        truncate: bool = False,
        drip: float = 0.0,
    ) -> None:
        data = body.encode("utf-8")
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", f"{ctype}; charset=utf-8")
            handler.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            if truncate:
                handler.wfile.write(data[: len(data) // 2])
                handler.wfile.flush()
                handler.close_connection = True
                handler.connection.shutdown(socket.SHUT_RDWR)
            elif drip:
                for i in range(len(data)):
                    handler.wfile.write(data[i : i + 1])
                    handler.wfile.flush()
                    time.sleep(drip)
            else:
                handler.wfile.write(data)
        except OSError:  # BrokenPipeError, ConnectionResetError, a shut-down socket
            pass  # the client gave up (a timeout test)


class LibreTranslateServer(_Server):
    """A LibreTranslate-compatible ``/translate`` endpoint on 127.0.0.1.

    ``batch_limit`` and ``char_limit`` refuse larger requests as a server started with
    ``--batch-limit`` or ``--char-limit`` does: HTTP 400, "request (N) exceeds text limit (L)".
    """

    path = "/"
    batch_limit: int | None = None
    char_limit: int | None = None

    def respond(
        self, handler: BaseHTTPRequestHandler, method: str, *, mangle: bool = False
    ) -> tuple[int, str, str]:
        parsed = urlparse(handler.path)
        if parsed.path == "/languages" and method == "GET":
            langs = [
                {"code": c, "name": c, "targets": ["en", "id", "ja", "zh", "ms", "de"]}
                for c in ("en", "id", "ja", "zh", "ms", "de")
            ]
            return 200, json.dumps(langs), "application/json"
        if parsed.path != "/translate" or method != "POST":
            return 404, json.dumps({"error": "Not Found"}), "application/json"
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode("utf-8") if length else ""
        ctype = handler.headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            try:
                fields = json.loads(raw or "{}")
            except ValueError:
                return 400, json.dumps({"error": "Invalid JSON"}), "application/json"
        else:  # form body and query string, as Flask's request.values
            merged = {**parse_qs(parsed.query), **parse_qs(raw)}
            fields = {k: v[0] for k, v in merged.items()}
            if isinstance(fields.get("q"), str):
                fields["q"] = "\n".join(fields["q"].splitlines())
        q, source, target = fields.get("q"), fields.get("source"), fields.get("target")
        for name, value in (("q", q), ("source", source), ("target", target)):
            if value in (None, ""):
                return (
                    400,
                    json.dumps({"error": f"Invalid request: missing {name} parameter"}),
                    "application/json",
                )
        if self.api_key is not None and fields.get("api_key") != self.api_key:
            return 403, json.dumps({"error": "Invalid API key"}), "application/json"
        texts = q if isinstance(q, list) else [q]
        # The order of LibreTranslate's own checks: the number of texts, then characters.
        for size, limit in (
            (len(texts) if isinstance(q, list) else None, self.batch_limit),
            (sum(len(str(t)) for t in texts), self.char_limit),
        ):
            if size is not None and limit is not None and size > limit:
                error = f"Invalid request: request ({size}) exceeds text limit ({limit})"
                return 400, json.dumps({"error": error}), "application/json"
        self._record(
            {
                "q": texts,
                "source": source,
                "target": target,
                "json": ctype.startswith("application/json"),
            },
            sum(len(str(t)) for t in texts),
        )
        out = [self._translate(str(t), str(source), str(target), mangle) for t in texts]
        return (
            200,
            json.dumps({"translatedText": out if isinstance(q, list) else out[0]}),
            "application/json",
        )


class GoogleMobileServer(_Server):
    """A stand-in for translate.google.com's ``/m`` page: ``GET /m?tl=&sl=&q=``."""

    path = "/m"

    def respond(
        self, handler: BaseHTTPRequestHandler, method: str, *, mangle: bool = False
    ) -> tuple[int, str, str]:
        parsed = urlparse(handler.path)
        if parsed.path != "/m" or method != "GET":
            return 404, "<html><body>Not Found</body></html>", "text/html"
        params = {k: v[0] for k, v in parse_qs(parsed.query, keep_blank_values=True).items()}
        text = params.get("q", "")
        self._record(
            {"q": [text], "source": params.get("sl"), "target": params.get("tl")}, len(text)
        )
        translated = self._translate(text, params.get("sl", "auto"), params.get("tl", ""), mangle)
        page = (
            "<!DOCTYPE html><html><head><title>Google Translate</title></head><body>"
            f'<div class="result-container">{html.escape(translated)}</div></body></html>'
        )
        return 200, page, "text/html"


class DeepLServer(_Server):
    """A DeepL API v2 stand-in: ``POST /v2/translate`` with header authentication.

    Tags sent with ``tag_handling: xml`` are kept where they are; only the text between
    them goes through the translator. ``quota_exceeded`` answers 456 as DeepL does.
    """

    path = ""

    def __init__(
        self, translator: Translator = swapcase_translator, *, api_key: str = "key:fx", **kw: Any
    ) -> None:
        super().__init__(translator, api_key=api_key, **kw)
        self.quota_exceeded = False

    def respond(
        self, handler: BaseHTTPRequestHandler, method: str, *, mangle: bool = False
    ) -> tuple[int, str, str]:
        if urlparse(handler.path).path != "/v2/translate" or method != "POST":
            return 404, json.dumps({"message": "Not found"}), "application/json"
        if handler.headers.get("Authorization") != f"DeepL-Auth-Key {self.api_key}":
            return (
                403,
                json.dumps({"message": "Wrong endpoint or authentication key"}),
                "application/json",
            )
        if self.quota_exceeded:
            return 456, json.dumps({"message": "Quota exceeded"}), "application/json"
        length = int(handler.headers.get("Content-Length") or 0)
        try:
            fields = json.loads(handler.rfile.read(length).decode("utf-8"))
        except ValueError:
            return 400, json.dumps({"message": "Invalid JSON"}), "application/json"
        texts = fields.get("text")
        if (
            not isinstance(texts, list)
            or not texts
            or len(texts) > 50
            or "target_lang" not in fields
        ):
            return 400, json.dumps({"message": "Bad request"}), "application/json"
        self._record(
            {
                "q": texts,
                "source": fields.get("source_lang"),
                "target": fields["target_lang"],
                "formality": fields.get("formality"),
                "tag_handling": fields.get("tag_handling"),
            },
            sum(len(t) for t in texts),
        )
        out = []
        for text in texts:
            parts = re.split(r"(<[^>]+>)", text)
            done = "".join(
                p
                if p.startswith("<")
                else self.translator(p, fields.get("source_lang", ""), fields["target_lang"])
                for p in parts
            )
            out.append(re.sub(r"<x[^>]*/>", "", done) if mangle else done)
        translations = [
            {"detected_source_language": fields.get("source_lang") or "ID", "text": t} for t in out
        ]
        return 200, json.dumps({"translations": translations}), "application/json"


class OpenAIServer(_Server):
    """An OpenAI-compatible chat completions stand-in (and Azure OpenAI's URL shape).

    It reads the ``{"segments": [...]}`` user message, translates each segment and answers
    ``{"translations": [...]}`` as message content. ``malformed`` answers that many
    requests with prose instead of JSON.
    """

    path = ""

    def __init__(
        self,
        translator: Translator = swapcase_translator,
        *,
        api_key: str | None = "sk-test",
        **kw: Any,
    ) -> None:
        super().__init__(translator, api_key=api_key, **kw)
        self.malformed = 0

    def respond(
        self, handler: BaseHTTPRequestHandler, method: str, *, mangle: bool = False
    ) -> tuple[int, str, str]:
        parsed = urlparse(handler.path)
        azure = re.fullmatch(r"/openai/deployments/([^/]+)/chat/completions", parsed.path)
        if method != "POST" or not (azure or parsed.path.endswith("/chat/completions")):
            return 404, json.dumps({"error": {"message": "Not found"}}), "application/json"
        if azure:
            if "api-version" not in parse_qs(parsed.query):
                return (
                    404,
                    json.dumps({"error": {"message": "Resource not found"}}),
                    "application/json",
                )
            if handler.headers.get("api-key") != self.api_key:
                return (
                    401,
                    json.dumps(
                        {"error": {"message": "Access denied due to invalid subscription key"}}
                    ),
                    "application/json",
                )
        elif self.api_key and handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            return (
                401,
                json.dumps({"error": {"message": "Incorrect API key provided"}}),
                "application/json",
            )
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length).decode("utf-8"))
        segments = json.loads(body["messages"][-1]["content"])["segments"]
        self._record(
            {
                "q": segments,
                "model": body.get("model"),
                "temperature": body.get("temperature"),
                "system": body["messages"][0]["content"],
            },
            sum(len(s) for s in segments),
        )
        with self._lock:
            broken = self.malformed > 0
            self.malformed -= broken
        if broken:
            content = "Sure! Here are the translations you asked for."
        else:
            out = [self._translate(s, "", "", mangle) for s in segments]
            content = "```json\n" + json.dumps({"translations": out}, ensure_ascii=False) + "\n```"
        answer = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "model": body.get("model", "azure"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
        }
        return 200, json.dumps(answer), "application/json"
