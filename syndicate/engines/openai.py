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
from dataclasses import dataclass
from typing import Any

from syndicate.engines.base import EngineBase, RetryPolicy, batches, retry_policy
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


@dataclass(frozen=True, slots=True)
class OpenAISettings:
    """``engines.openai``: an OpenAI-compatible chat endpoint, or Azure OpenAI."""

    url: str = ""  # e.g. https://api.openai.com/v1
    model: str = ""
    api_key: str = ""
    azure_endpoint: str = ""
    deployment: str = ""
    api_version: str = "2024-10-21"
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5
    max_tokens: int = 4096
    batch_size: int = 50  # segments in one request
    batch_chars: int = 6000
    style: str = ""
    json_mode: bool = True


class OpenAIEngine(EngineBase):
    """Translates with a chat model behind an OpenAI-compatible API."""

    name = "openai"
    max_chars = 8_000
    Settings = OpenAISettings

    def __init__(self, settings: OpenAISettings, *, retry: RetryPolicy | None = None) -> None:
        s = settings
        if s.azure_endpoint:
            if not s.deployment:
                raise ConfigError("engines.openai.deployment is needed with azure_endpoint")
            if not s.api_key:
                raise ConfigError(
                    "Azure OpenAI needs engines.openai.api_key: {$env: AZURE_OPENAI_API_KEY}"
                )
            base = f"{s.azure_endpoint.rstrip('/')}/openai/deployments/{s.deployment}"
            self.url = f"{base}/chat/completions?api-version={s.api_version}"
            self.headers = {"api-key": s.api_key}
        else:
            if not s.url:
                raise ConfigError(
                    "the openai engine needs engines.openai.url (e.g. https://api.openai.com/v1)"
                )
            if not s.model:
                raise ConfigError("the openai engine needs engines.openai.model")
            self.url = f"{s.url.rstrip('/')}/chat/completions"
            self.headers = {"Authorization": f"Bearer {s.api_key}"} if s.api_key else {}
        self.model = s.model or None
        self.client = HttpClient(self.name, timeout=s.timeout)
        self.retry = retry or retry_policy(s)
        self.max_tokens = s.max_tokens
        self.batch_size = max(1, s.batch_size)
        # About 3 characters a token, with room for the answer.
        self.batch_chars = min(s.batch_chars, s.max_tokens * 2)
        self.max_chars = self.batch_chars
        self.style = s.style
        self.json_mode = s.json_mode

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        done: dict[str, str] = {}
        for chunk in batches(unique, size=self.batch_size, chars=self.batch_chars):
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
