"""Placeholder tokens: their syntax, and repairing and checking them after an engine.

Markup travels through engines as ``⟦n⟧``: short, not a word, not a number on its own,
without ``_`` (Argos models turn it into a space) and unlikely in news text. Engines do
damage them: they add spaces inside and around them, drop them or repeat them. This
module undoes the harmless damage (whitespace) and reports the rest, so that the caller
can retry or fall back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn

OPEN = "⟦"
CLOSE = "⟧"
# Tolerant on the way back: spaces inside the brackets and any Unicode digits.
TOKEN_RE = re.compile(r"⟦\s*(\d+)\s*⟧")
_SPACE = " \t\u00a0\u202f\u3000"


def token(index: int) -> str:
    return f"{OPEN}{index}{CLOSE}"


def strip_tokens(text: str) -> str:
    """The text without any placeholder tokens."""
    return TOKEN_RE.sub("", text)


def letter_count(text: str) -> int:
    """How many letters a text has (the checks compare texts by their letters)."""
    return sum(map(str.isalpha, text))


def fill(template: str, sources: Mapping[int, str]) -> str:
    """Replace each token with its source markup."""
    return TOKEN_RE.sub(lambda m: sources[int(m.group(1))], template)


class PlaceholderDamage(ValueError):
    """Tokens were lost, invented, repeated or reordered beyond repair."""


@dataclass(frozen=True, slots=True)
class TokenShape:
    """What a token is and what whitespace the source had around it."""

    kind: str  # "open", "close", "standalone", "break"
    partner: int | None = None  # the matching close of an open, and the reverse
    space_before: bool = False
    space_after: bool = False
    # Punctuation (or another token) the token was glued to in the source: engines that
    # put a space between them can turn "*⟦1⟧" into a list item, so the glue is restored.
    glued_before: str = ""
    glued_after: str = ""


def shapes(template: str, kinds: Mapping[int, tuple[str, int | None]]) -> dict[int, TokenShape]:
    """Describe each token of a source template: its kind and the whitespace around it."""
    out: dict[int, TokenShape] = {}
    for m in TOKEN_RE.finditer(template):
        index = int(m.group(1))
        kind, partner = kinds[index]
        prev = template[m.start() - 1] if m.start() > 0 else ""
        nxt = template[m.end()] if m.end() < len(template) else ""
        out[index] = TokenShape(
            kind,
            partner,
            space_before=prev in _SPACE if prev else False,
            space_after=nxt in _SPACE if nxt else False,
            glued_before=prev if prev and _is_glue(prev) else "",
            glued_after=nxt if nxt and _is_glue(nxt) else "",
        )
    return out


def _is_glue(ch: str) -> bool:
    return not ch.isalnum() and ch not in _SPACE and not ch.isspace()


# C0 controls but tab and line breaks: no translation has them, XML cannot carry them, and
# a model that hallucinates one must not break every export of the article.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def strip_controls(text: str) -> str:
    return CONTROL_RE.sub("", text)


def repair(translated: str, source_template: str, expected: Mapping[int, TokenShape]) -> str:
    """Give back the translated template with canonical tokens and repaired whitespace.

    Raises PlaceholderDamage when a token is missing, unknown, repeated, or when a pair
    comes back crossed or reversed.
    """
    translated = strip_controls(translated)
    check_tokens(translated, {i: (s.kind, s.partner) for i, s in expected.items()})
    # Most answers have their tokens as they were sent: then writing them again is a no-op.
    text = TOKEN_RE.sub(_canonical, translated) if _ODD_TOKEN.search(translated) else translated
    for index, shape in expected.items():
        # Each substitution below removes spaces right beside the token (which is in the
        # text once, check_tokens says so): with none on that side it would change nothing,
        # and most tokens come back as they went, so the regular expressions are spared.
        plain = token(index)
        if not any(_spaced(text, plain)):
            continue
        tok = re.escape(plain)
        if shape.kind in ("open", "break") and not shape.space_after and _spaced(text, plain)[1]:
            text = re.sub(f"({tok})[{_SPACE}]+", r"\1", text)
        if shape.kind in ("close", "break") and not shape.space_before and _spaced(text, plain)[0]:
            text = re.sub(f"[{_SPACE}]+({tok})", r"\1", text)
        if shape.glued_before and _spaced(text, plain)[0]:
            text = re.sub(f"({re.escape(shape.glued_before)})[{_SPACE}]+({tok})", r"\1\2", text)
        if shape.glued_after and _spaced(text, plain)[1]:
            text = re.sub(f"({tok})[{_SPACE}]+({re.escape(shape.glued_after)})", r"\1\2", text)
    lead = source_template[: len(source_template) - len(source_template.lstrip())]
    trail = source_template[len(source_template.rstrip()) :]
    return lead + text.strip() + trail


# An opening bracket not followed by a token as ``token`` writes it (spaces inside, a
# leading zero, other digits), or one that is no token at all.
_ODD_TOKEN = re.compile(f"{OPEN}(?![1-9][0-9]*{CLOSE})")


def _canonical(m: re.Match[str]) -> str:
    return token(int(m.group(1)))


def _spaced(text: str, tok: str) -> tuple[bool, bool]:
    """Whether ``tok`` (in ``text`` once) has one of the spaces repair removes right before
    it, and right after it."""
    at = text.find(tok)
    end = at + len(tok)
    return (at > 0 and text[at - 1] in _SPACE, end < len(text) and text[end] in _SPACE)


def check_tokens(translated: str, kinds: Mapping[int, tuple[str, int | None]]) -> None:
    """Raise PlaceholderDamage unless every token of ``kinds`` (index -> kind, partner) is in
    ``translated`` once, none is invented, and pairs still nest (repair's check, alone)."""
    if not kinds and OPEN not in translated:  # most segments: no markup, none invented
        return
    found = [int(i) for i in TOKEN_RE.findall(translated)]
    # As many tokens as kinds, and the same ones: none lost, invented or repeated (the
    # kinds are distinct). That is how most answers come back; only damage is counted.
    if len(found) != len(kinds) or kinds.keys() != set(found):
        _lost_invented_or_repeated(found, kinds)
    stack: list[int] = []
    for index in found:
        kind, partner = kinds[index]
        if partner is None:
            continue  # a delimiter run that closes two spans at once: no pair to check
        if kind == "open":
            stack.append(index)
        elif kind == "close":
            if not stack or stack[-1] != partner:
                raise PlaceholderDamage(f"pair {token(partner)}…{token(index)} broken")
            stack.pop()
    if stack:
        raise PlaceholderDamage(f"pair starting {token(stack[-1])} not closed")


def _lost_invented_or_repeated(found: list[int], kinds: Mapping[int, object]) -> NoReturn:
    """The damage of tokens ``found`` that are not the distinct ``kinds``: some are lost
    or invented (other sets), or, with the same set, one is repeated (more tokens)."""
    missing = sorted(set(kinds) - set(found))
    unknown = sorted(set(found) - set(kinds))
    repeated = sorted({i for i in found if found.count(i) > 1})
    parts = []
    if missing:
        parts.append(f"lost {', '.join(token(i) for i in missing)}")
    if unknown:
        parts.append(f"invented {', '.join(token(i) for i in unknown)}")
    if repeated:
        parts.append(f"repeated {', '.join(token(i) for i in repeated)}")
    raise PlaceholderDamage("; ".join(parts))
