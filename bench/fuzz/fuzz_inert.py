"""Random documents and translations against markdown.inert's "the structure is kept".

    python bench/fuzz/fuzz_inert.py [--seed 1] [--seconds 60]

Makes random Markdown documents (tables, setext headings, reference definitions, lists,
quotes, footnotes, alerts; inline markup, autolinks, bare URLs, hard breaks, several kinds
of Unicode space, hostile signs), segments them as the translator does (entities
protected half of the time), writes random translations of their segments (runs kept,
rewritten, cut, emptied to white space; entities rendered as text), and checks every
``keeps_structure`` that says True against a parse of the output. Prints the counts and
each kind of wrong answer with one example; exits 1 if there was one. Seeded: a seed and a
time give the same cases on one machine (how many fit in the time varies).

The rules of markdown.inert came from counterexamples this found (about six million cases
before the rules held); run it after changing the module or the parser's dependencies.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from syndicate.errors import SyndicateError
from syndicate.markdown.article import parse_article
from syndicate.markdown.inert import keeps_structure
from syndicate.markdown.segment import markdown_structure, segment_article
from syndicate.placeholders import TOKEN_RE
from syndicate.translation.protect import with_entities

WORDS = [
    "Harga",
    "naik",
    "bank",
    "BI",
    "x",
    "2025",
    "1,5",
    "25/6",
    "Rp1.000",
    "persen",
    "é",
    "日本",
]
SPACES = [" ", " ", " ", "\u00a0", "\u202f", "\u3000", "\u2009", "\u1680", "\u205f"]
INLINE = [
    "**{w}**", "*{w}*", "__{w}__", "_{w}_", "~~{w}~~", "~{w}~", "***{w}***", "`{w}`",
    "``a`b``", "[{w}](/u)", "[{w}][r]", "[r]", "[r][]", "![{w}](i.png)", "![r]", "[^1]",
    "<b>", "</b>", "<span a='|'>", "<http://a.example/x>", "<a@b.example>",
    "www.a.example", "www.a.example/|", "www.a.example/#", "https://a.example/p",
    "http://x.example/(a)", "mailto:a@b.example", "xmpp:a@b.example", "a@b.example",
    "humas_bi@bi.go.id", "foo\\+@b.example", "&amp;", "&#42;", "&foo;", "&#10;", "\\*",
    "\\_", "\\[", "\\|", "\\#", "  \n", "\\\n", "\n", "ftp://f.example/|",
    "ftp://f.example/[r](a", "[x](javascript:alert(1))", "*", "_", "|", "!", "#", ":",
    "(", ")", "{{#id}}", "![r](a b c)", "[r](a b c)", "[r]:", "[^1]:", "+", "1.", "1)",
    "-", "=", "\n+\n", "\n1.\n", "  \n+\n", "  \n-\n", "\n#\n", "\n>\n", "<!-- c -->",
    "<b\n>", "`a\nb`", "[a\nb](/u)", "~~~", "```", "***", "\n---\n", "'t'", '"t"',
    "(t)", "www.a.example:", "x.example", "@", "&", "\n[r]: /d 't'\n",
]  # fmt: skip
HOSTILE = [*"!#&*<>@[\\]^_`{|}~", "www.", "http:", "-", "1.", "+", "=", "'", '"', "(", ")", ":"]
PREFIXES = ["", "", "", "# ", "## ", "- ", "1. ", "> ", "> - ", "- [ ] ", "[^1]: ", "  ", "| "]
TAME = [
    "Prices", "rose", "again", "ok", "a", "Z", "é", "日本", "—", "“", "”", "«", "»", ".", ",",
    ";", "?", "'", '"', "(", ")", "/", "$", "%", "-", "+", "=", ":", "1", "2025", "10:30",
]  # fmt: skip


def inline(rng: random.Random, hostile: bool) -> str:
    parts = []
    for _ in range(rng.randint(1, 7)):
        r = rng.random()
        if r < 0.35:
            parts.append(rng.choice(WORDS))
        elif r < 0.55:
            parts.append(rng.choice(SPACES))
        elif r < 0.9:
            parts.append(rng.choice(INLINE).format(w=rng.choice(WORDS)))
        else:
            parts.append(rng.choice(HOSTILE) if hostile else rng.choice(".,;?()'\"-"))
    return "".join(parts)


def block(rng: random.Random, hostile: bool) -> str:
    r = rng.random()
    if r < 0.1:
        n = rng.randint(1, 3)

        def row() -> str:
            return "| " + " | ".join(inline(rng, False).replace("\n", " ") for _ in range(n))

        rows = [row() + " |", "|" + "|".join("---" for _ in range(n)) + "|"]
        return "\n".join(rows + [row() + " |" for _ in range(rng.randint(0, 2))])
    if r < 0.15:
        definition = rng.choice(["[r]: /dest\n", "[r]: /dest 't'\n", "[r]:\n/dest\n", "[q]: /d\n"])
        return definition + inline(rng, hostile)
    if r < 0.2:
        return inline(rng, hostile) + "\n" + rng.choice(["---", "===", "--", "-|-"])
    lines = [rng.choice(PREFIXES) + inline(rng, hostile)]
    lines += [
        rng.choice(["", "", "> ", "  "]) + inline(rng, hostile) for _ in range(rng.randint(0, 2))
    ]
    return "\n".join(lines)


def document(rng: random.Random) -> str:
    hostile = rng.random() < 0.5
    blocks = [block(rng, hostile) for _ in range(rng.randint(1, 4))]
    return "\n\n".join([*blocks, "[r]: /ref\n[^1]: note\n[!note]: /x"]) + "\n"


def text(rng: random.Random) -> str:
    return "".join(
        rng.choice(TAME) if rng.random() < 0.6 else rng.choice(SPACES)
        for _ in range(rng.randint(0, 4))
    )


def translation(template: str, rng: random.Random, text_like: dict[int, bool]) -> str:
    """A random translation: each run kept, rewritten (its ends kept now and then), cut,
    or made white space; text-like tokens (entities) rendered as text half of the time."""
    parts = TOKEN_RE.split(template)
    runs, tokens = parts[0::2], [int(i) for i in parts[1::2]]
    out = []
    for k, run in enumerate(runs):
        r = rng.random()
        if run and 0.35 <= r < 0.5:
            run = run[:1] + text(rng) + run[-1:]
        elif run and r < 0.65:
            run = rng.choice(SPACES) * rng.randint(1, 2)
        elif run and r < 0.8:
            run = (run.split(" ")[0] if rng.random() < 0.5 else run.rstrip(". ")) or " "
        elif run and r >= 0.8:
            run = text(rng)
        out.append(run)
        if k < len(tokens):
            rendered = text_like.get(tokens[k]) and rng.random() < 0.5
            out.append((text(rng) or "x") if rendered else f"⟦{tokens[k]}⟧")
    return "".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    counts: collections.Counter[str] = collections.Counter()
    wrong: dict[tuple[str | None, str | None], tuple[str, dict[int, str]]] = {}
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        source = document(rng)
        try:
            article = parse_article(source)
            doc = segment_article(article)
        except SyndicateError:
            continue  # refused input (nesting too deep): no case
        if rng.random() < 0.5:
            doc = with_entities(doc)
        counts["documents"] += 1
        for _ in range(8):
            written = {
                i: seg.template
                if rng.random() < 0.15
                else translation(
                    seg.template,
                    rng,
                    {p.index: bool(p.entity or p.replacement) for p in seg.placeholders},
                )
                for i, seg in enumerate(doc.segments)
                if rng.random() < 0.7
            }
            counts["cases"] += 1
            if not keeps_structure(doc, written):
                continue
            counts["said kept"] += 1
            got = markdown_structure(doc.reassembled(article, written).body)
            want = list(doc.structure)
            if got != want:
                counts["wrong"] += 1
                at = next(
                    (j for j, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
                    min(len(got), len(want)),
                )
                kind = (
                    want[at][0] if at < len(want) else None,
                    got[at][0] if at < len(got) else None,
                )
                wrong.setdefault(kind, (source, written))
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()))
    for (was, now), (source, written) in wrong.items():
        print(f"wrong: {was} became {now}\n  source: {source!r}\n  written: {written!r}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
