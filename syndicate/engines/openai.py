"""Any OpenAI-compatible chat completions endpoint: OpenAI, Azure OpenAI, local servers.

Segments go in batches as JSON (``{"segments": [...]}``) under a system prompt that fixes
the rules (keep every ``⟦n⟧`` token, keep names, the house style of the target); the
answer must be JSON with as many translations, in order. A malformed answer (not JSON,
the wrong count, code fences and chatter aside) is asked again, then reported. Temperature
0; batches are cut by characters so that the answer fits ``max_tokens``.

Azure OpenAI: ``azure_endpoint`` + ``deployment`` + ``api_version``, key in the ``api-key``
header; everything else: ``url`` (a base such as ``https://api.openai.com/v1``) + ``model``,
key as a bearer token (optional for local servers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, ClassVar

from syndicate.engines.base import Options, RetryPolicy, batches
from syndicate.engines.http import HttpClient
from syndicate.errors import ConfigError, EngineResponseError
from syndicate.langtags import parse_tag

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)
SYSTEM = (
    "You are a professional news translator. Translate each segment from {source} into {target}.\n"
    "Rules:\n"
    "- Tokens like ⟦1⟧ mark markup, amounts and names: copy every token exactly once, unchanged.\n"
    "- Keep the names of people, companies and products as they are.\n"
    "- Keep the meaning and the register of news writing; do not add or drop information.\n"
    "{style}"
    'Answer with JSON only: {{"translations": [one string per segment, in the same order]}}.'
)


class MalformedAnswer(EngineResponseError):
    """The model answered something that is not the JSON asked for (worth asking again)."""

    retryable = True


class OpenAIEngine:
    """Translates with a chat model behind an OpenAI-compatible API."""

    name = "openai"
    max_chars = 8_000
    SETTINGS: ClassVar[dict[str, type]] = {
        "url": str,
        "model": str,
        "api_key": str,
        "azure_endpoint": str,
        "deployment": str,
        "api_version": str,
        "timeout": float,
        "retries": int,
        "backoff": float,
        "max_tokens": int,
        "batch_chars": int,
        "style": str,
        "json_mode": bool,
    }

    def __init__(
        self,
        *,
        url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        azure_endpoint: str | None = None,
        deployment: str | None = None,
        api_version: str = "2024-10-21",
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        max_tokens: int = 4096,
        batch_chars: int = 6000,
        style: str = "",
        json_mode: bool = True,
    ) -> None:
        if azure_endpoint:
            if not deployment:
                raise ConfigError("engines.openai.deployment is needed with azure_endpoint")
            if not api_key:
                raise ConfigError(
                    "Azure OpenAI needs engines.openai.api_key: {$env: AZURE_OPENAI_API_KEY}"
                )
            base = f"{azure_endpoint.rstrip('/')}/openai/deployments/{deployment}"
            self.url = f"{base}/chat/completions?api-version={api_version}"
            self.headers = {"api-key": api_key}
        else:
            if not url:
                raise ConfigError(
                    "the openai engine needs engines.openai.url (e.g. https://api.openai.com/v1)"
                )
            if not model:
                raise ConfigError("the openai engine needs engines.openai.model")
            self.url = f"{url.rstrip('/')}/chat/completions"
            self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.model = model
        self.client = HttpClient(self.name, timeout=timeout)
        self.retry = retry or RetryPolicy()
        self.max_tokens = max_tokens
        self.batch_chars = min(batch_chars, max_tokens * 2)  # about 3 characters a token, with room
        self.max_chars = self.batch_chars
        self.style = style
        self.json_mode = json_mode

    @classmethod
    def from_options(cls, values: dict[str, Any]) -> OpenAIEngine:
        opts = Options(cls.name, values, cls.SETTINGS)
        return cls(
            url=opts.get("url", "") or None,
            model=opts.get("model", "") or None,
            api_key=opts.get("api_key", "") or None,
            azure_endpoint=opts.get("azure_endpoint", "") or None,
            deployment=opts.get("deployment", "") or None,
            api_version=opts.get("api_version", "2024-10-21"),
            timeout=float(opts.get("timeout", 60.0)),
            retry=RetryPolicy(
                retries=opts.get("retries", 3), backoff=float(opts.get("backoff", 0.5))
            ),
            max_tokens=opts.get("max_tokens", 4096),
            batch_chars=opts.get("batch_chars", 6000),
            style=opts.get("style", ""),
            json_mode=opts.get("json_mode", True),
        )

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        done: dict[str, str] = {}
        for chunk in batches(unique, size=50, chars=self.batch_chars):
            answer = self.retry.call(lambda c=chunk: self._request(c, source, target))  # type: ignore[misc]
            done.update(zip(chunk, answer, strict=True))
        return [done.get(t, t) for t in texts]

    def _request(self, chunk: list[str], source: str, target: str) -> list[str]:
        style = f"- House style: {self.style}\n" if self.style else ""
        system = SYSTEM.format(source=_name(source), target=_name(target), style=style)
        payload: dict[str, Any] = {
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": json.dumps({"segments": chunk}, ensure_ascii=False)},
            ],
            "temperature": 0,
            "max_tokens": self.max_tokens,
        }
        if self.model:
            payload["model"] = self.model
        if self.json_mode:
            payload["response_format"] = {"type": "json_object"}
        body = self.client.post_json(self.url, payload, headers=self.headers)
        try:
            choice = body["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise MalformedAnswer(
                self.name, "the answer has no choices[0].message.content"
            ) from None
        if choice.get("finish_reason") == "length":
            raise EngineResponseError(
                self.name,
                "the answer was cut at max_tokens",
                hint="raise engines.openai.max_tokens or lower batch_chars",
            )
        return self._parse(content, len(chunk))

    def _parse(self, content: Any, expected: int) -> list[str]:
        if not isinstance(content, str):
            raise MalformedAnswer(self.name, "the answer is not text")
        text = _FENCE.sub("", content.strip())
        start, end = text.find("{"), text.rfind("}")
        try:
            data = json.loads(text[start : end + 1]) if start >= 0 else None
        except json.JSONDecodeError:
            data = None
        items = data.get("translations") if isinstance(data, dict) else None
        if (
            not isinstance(items, list)
            or len(items) != expected
            or not all(isinstance(i, str) for i in items)
        ):
            raise MalformedAnswer(self.name, f"expected JSON with {expected} translations")
        return items


def _name(tag: str) -> str:
    from babel import Locale

    t = parse_tag(tag)
    try:
        return f"{Locale.parse(t.text, sep='-').get_display_name('en')} ({t.text})"
    except (ValueError, LookupError):
        return t.text
