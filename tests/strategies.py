"""Hypothesis strategies: Indonesian-like news text and whole Markdown articles.

The text is made of real Indonesian words, names, figures, money, dates and times, so that
the recognizer and the segmenter meet what they meet in the newsroom; the documents nest
the CommonMark blocks an article can hold (headings, paragraphs with inline markup, lists,
quotes, code, tables, HTML) under optional front matter.
"""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = [
    "harga",
    "beras",
    "naik",
    "di",
    "pasar",
    "tradisional",
    "Jakarta",
    "pekan",
    "ini",
    "menurut",
    "para",
    "pedagang",
    "yang",
    "Bank",
    "Indonesia",
    "menahan",
    "suku",
    "bunga",
    "acuan",
    "pada",
    "rapat",
    "dewan",
    "gubernur",
    "ekspor",
    "pelabuhan",
    "Patimban",
    "tumbuh",
    "pemerintah",
    "akan",
    "memberikan",
    "insentif",
    "bagi",
    "perusahaan",
    "rintisan",
    "dan",
    "investor",
    "asing",
    "ke",
    "Surabaya",
    "Medan",
    "Makassar",
    "OpenAI",
    "Microsoft",
    "kata",
    "Sri",
    "Mulyani",
    "kepada",
    "wartawan",
    "itu",
    "tidak",
    "juga",
    "sudah",
    "belum",
    "sekitar",
    "hingga",
    "sebesar",
]
FIGURES = [
    "Rp 154 triliun",
    "Rp10-15 juta",
    "USD 9,6 miliar",
    "US$4,1 miliar",
    "522.7 juta dolar AS",
    "5,2 persen",
    "-0,7%",
    "1.500.000",
    "25 Juni 2025",
    "Rabu (25/6/2025)",
    "Januari - Oktober 2021",
    "pukul 14.00 WIB",
    "08.00-09.45 WITA",
    "Pasal 5 ayat 2",
    "GPT-4",
    "2025",
    "0812-3456-7890",
]
PUNCT = [",", ".", ":", ";", "!", "?", " —", " &", " <", " >", ' "', " '", " *", " _", " #"]

word = st.sampled_from(WORDS)
figure = st.sampled_from(FIGURES)
token = st.one_of(word, word, word, figure, st.sampled_from(PUNCT))


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """An Indonesian-like sentence with figures, entities and stray punctuation."""
    tokens = draw(st.lists(token, min_size=1, max_size=14))
    text = " ".join(tokens).replace(" ,", ",").replace(" .", ".")
    return text[:1].upper() + text[1:] + draw(st.sampled_from([".", ".", "?", ":", ""]))


@st.composite
def inline(draw: st.DrawFn) -> str:
    """A line of text with inline markup around some of its words."""
    parts = []
    for text in draw(st.lists(sentence(), min_size=1, max_size=3)):
        kind = draw(st.sampled_from(["plain", "plain", "em", "strong", "code", "link", "image"]))
        if kind == "em":
            text = f"*{text}*"
        elif kind == "strong":
            text = f"**{text}**"
        elif kind == "code":
            text = f"`{text}`"
        elif kind == "link":
            text = f"[{text}](https://nuntianews.example/{draw(word)}?a=1&b=2)"
        elif kind == "image":
            text = f"![{text}](foto/{draw(word)}.jpg)"
        parts.append(text)
    return " ".join(parts)


def blocks(depth: int = 0) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        inline(),
        inline().map(lambda t: f"## {t}"),
        inline().map(lambda t: f"{t}  \nbaris berikutnya {t}"),
        st.builds(lambda t: f"```\n{t}\n```", sentence()),
        st.builds(
            lambda a, b: f"| {a} | {b} |\n| --- | --- |\n| {b} | {a} |", sentence(), sentence()
        ),
        st.builds(lambda t: f'<div class="catatan">{t}</div>', sentence()),
        st.just("***"),  # a thematic break (---, first, would open front matter)
    )
    if depth >= 3:
        return leaf
    inner = st.deferred(lambda: blocks(depth + 1))
    return st.one_of(
        leaf,
        leaf,
        st.lists(inner, min_size=1, max_size=3).map(
            lambda items: "\n".join(f"- {i.replace(chr(10), chr(10) + '  ')}" for i in items)
        ),
        st.lists(inner, min_size=1, max_size=2).map(
            lambda items: "\n".join(f"1. {i.replace(chr(10), chr(10) + '   ')}" for i in items)
        ),
        inner.map(lambda b: "\n".join(f"> {line}" for line in b.split("\n"))),
    )


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    title = draw(sentence()).replace('"', "'")
    summary = draw(sentence()).replace('"', "'")
    return f'---\ntitle: "{title}"\nsummary: "{summary}"\ndate: 2025-06-25\nlang: id\n---\n\n'


@st.composite
def article(draw: st.DrawFn) -> str:
    """A whole article: optional front matter, then blocks separated by blank lines."""
    head = draw(st.one_of(st.just(""), front_matter()))
    body = "\n\n".join(draw(st.lists(blocks(), min_size=1, max_size=6)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (head + body + "\n").replace("\n", newline)
