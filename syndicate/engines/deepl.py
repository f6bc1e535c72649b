"""DeepL API v2, spoken directly (deep-translator's DeepL class uses a request style DeepL
no longer accepts: GET with ``auth_key``).

``POST /v2/translate`` with ``Authorization: DeepL-Auth-Key``, JSON with up to 50 texts.
Placeholders travel as XML tags (``⟦3⟧`` -> ``<x id="3"/>``) with ``tag_handling: xml``,
which DeepL keeps in place; the text around them is XML-escaped on the way in and
unescaped on the way out. Keys ending in ``:fx`` use the free endpoint.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from syndicate.engines.base import EngineBase, RetryPolicy, batches, retry_policy
from syndicate.engines.http import HttpClient
from syndicate.engines.sentences import translate_in_pieces
from syndicate.errors import ConfigError, EngineResponseError
from syndicate.langtags import parse_tag
from syndicate.placeholders import TOKEN_RE

FREE_URL = "https://api-free.deepl.com"
PRO_URL = "https://api.deepl.com"
_XTAG = re.compile(r"<x\s+id\s*=\s*[\"']?(\d+)[\"']?\s*/?>(?:\s*</x>)?")
# Targets DeepL wants with a variant; the rest take the bare language in upper case.
_VARIANTS = {
    "en-US": "EN-US",
    "en-GB": "EN-GB",
    "en-AU": "EN-GB",
    "en-SG": "EN-GB",
    "en-IN": "EN-GB",
    "en": "EN-US",
    "pt-BR": "PT-BR",
    "pt": "PT-PT",
    "zh-Hans": "ZH-HANS",
    "zh-Hant": "ZH-HANT",
}
FORMALITY = frozenset({"DE", "FR", "IT", "ES", "NL", "PL", "PT-BR", "PT-PT", "JA", "RU"})


def deepl_target(tag: str) -> str:
    t = parse_tag(tag)
    for key in (
        t.text,
        f"{t.language}-{t.region}" if t.region else "",
        f"{t.language}-{t.script}" if t.script else "",
        t.language,
    ):
        if key in _VARIANTS:
            return _VARIANTS[key]
    return t.language.upper()


def deepl_source(tag: str) -> str:
    return parse_tag(tag).language.upper()


def to_xml(text: str) -> str:
    """Escape a template for tag_handling=xml; tokens become <x id="n"/>."""
    out, pos = [], 0
    for m in TOKEN_RE.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        out.append(f'<x id="{m.group(1)}"/>')
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def from_xml(text: str) -> str:
    return html.unescape(_XTAG.sub(lambda m: f"⟦{m.group(1)}⟧", text))


Formality = Literal["default", "more", "less", "prefer_more", "prefer_less"]
FORMALITIES: tuple[Formality, ...] = get_args(Formality)


@dataclass(frozen=True, slots=True)
class DeepLSettings:
    """``engines.deepl``: the DeepL API, free (a key ending ``:fx``) or pro."""

    api_key: str = ""
    url: str = ""  # default: the free or pro endpoint, by the key
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    formality: str = "default"  # one of FORMALITIES


class DeepLEngine(EngineBase):
    """Translates through the DeepL API (free or pro)."""

    name = "deepl"
    max_chars = 30_000
    batch_size = 50
    batch_chars = 100_000  # DeepL takes 128 KiB a request; escaping adds some
    Settings = DeepLSettings

    def __init__(self, settings: DeepLSettings, *, retry: RetryPolicy | None = None) -> None:
        api_key, formality = settings.api_key, settings.formality
        if not api_key:
            raise ConfigError(
                "the deepl engine needs an API key",
                hint="set engines.deepl.api_key: {$env: DEEPL_API_KEY}",
            )
        if formality not in FORMALITIES:
            raise ConfigError(
                f"engines.deepl.formality {formality!r} is not one of {', '.join(FORMALITIES)}"
            )
        self.api_key = api_key
        self.url = (settings.url or (FREE_URL if api_key.endswith(":fx") else PRO_URL)).rstrip(
            "/"
        ) + "/v2/translate"
        self.client = HttpClient(self.name, timeout=settings.timeout)
        self.retry = retry or retry_policy(settings)
        self.formality = formality

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        src, tgt = deepl_source(source), deepl_target(target)

        def run(pieces: list[str]) -> list[str]:
            out: list[str] = []
            for batch in batches(pieces, size=self.batch_size, chars=self.batch_chars):
                out.extend(self.retry.call(lambda b=batch: self._request(b, src, tgt)))  # type: ignore[misc]
            return out

        return translate_in_pieces(run, texts, self.max_chars)

    def _request(self, batch: list[str], source: str, target: str) -> list[str]:
        wanted = [i for i, t in enumerate(batch) if t.strip()]
        if not wanted:
            return list(batch)
        payload: dict[str, Any] = {
            "text": [to_xml(batch[i]) for i in wanted],
            "source_lang": source,
            "target_lang": target,
            "tag_handling": "xml",
            "ignore_tags": ["x"],
            "split_sentences": "nonewlines",
            "preserve_formatting": True,
        }
        if self.formality != "default" and (
            target in FORMALITY or self.formality.startswith("prefer_")
        ):
            payload["formality"] = self.formality
        body = self.client.post_json(
            self.url, payload, headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"}
        )
        items = body.get("translations") if isinstance(body, dict) else None
        if (
            not isinstance(items, list)
            or len(items) != len(wanted)
            or not all(isinstance(i, dict) and isinstance(i.get("text"), str) for i in items)
        ):
            raise EngineResponseError(
                self.name, f"expected {len(wanted)} translations from {self.url}"
            )
        out = list(batch)
        for i, item in zip(wanted, items, strict=True):
            out[i] = from_xml(item["text"])
        return out
