"""Export of many translated articles to every format for one partner.

    python bench/export.py [--articles 1000]

Makes N translated articles (the team's examples, pseudo-translated, under different
slugs), then times building the partner's package in all seven formats (in memory, as
`syndicate export` does before writing), against a baseline measured in the same run:
rendering each article's Markdown to sanitized HTML once, which every
format needs anyway. The target (issue 5): 1,000 articles in under 10 seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syndicate.config import Outlet  # noqa: E402
from syndicate.engines.pseudo import PseudoEngine  # noqa: E402
from syndicate.markdown.article import parse_article, read_article  # noqa: E402
from syndicate.markdown.html import to_html  # noqa: E402
from syndicate.syndication.package import build_package  # noqa: E402
from syndicate.syndication.partners import FORMATS, Partner, Rights  # noqa: E402
from syndicate.translation.translate import translate_article  # noqa: E402

NOW = dt.datetime(2025, 7, 3, 12, tzinfo=dt.UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    examples = sorted((ROOT / "examples").glob("*.md"))
    translated = [
        translate_article(read_article(p), target="en-GB", engine=PseudoEngine(), now=NOW).text
        for p in examples
    ]
    texts = []
    for i in range(args.articles):
        base = translated[i % len(translated)]
        texts.append(
            base.replace(
                "url: https://nuntianews.example/",
                f"slug: article-{i}\nurl: https://nuntianews.example/{i}/",
                1,
            ).replace(  # an original of its own: not 100 translations of one into one language
                "translation_of: https://nuntianews.example/",
                f"translation_of: https://nuntianews.example/{i}/",
                1,
            )
        )
    partner = Partner(
        id="bench",
        name="Bench",
        locales=("en-GB",),
        formats=FORMATS,
        outlet=Outlet("NuntiaNews", "https://nuntianews.example/", "nuntianews.example"),
        item_url="https://bench.example/{locale}/{slug}",
        attribution={"default": "From NuntiaNews."},
        rights=Rights(
            "PT Nuntia", "© NuntiaNews", "Bench only", "https://nuntianews.example/terms"
        ),
    )

    start = time.perf_counter()
    articles = [parse_article(t, path=Path(f"article-{i}.en-GB.md")) for i, t in enumerate(texts)]
    parsing = time.perf_counter() - start
    start = time.perf_counter()
    for a in articles:
        to_html(a.body)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    package = build_package(articles, partner=partner, formats=FORMATS, now=NOW)
    ours = time.perf_counter() - start
    size = sum(len(d) for _, d in package.files)
    files = len(package.files)
    print(f"{args.articles} articles, {len(FORMATS)} formats: {files} files, {size / 1e6:.1f} MB")
    print(f"reading the articles: {parsing:.2f} s (not counted below)")
    print(f"export (build every file and the manifest): {ours:.2f} s")
    print(
        f"baseline (render each body to sanitized HTML once): {baseline:.2f} s; "
        f"export is x{ours / baseline:.1f} of it"
    )


if __name__ == "__main__":
    main()
