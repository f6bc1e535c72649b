"""Pairing a translation file with its source, segment by segment, on hostile Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syndicate.engines.pseudo import PseudoEngine
from syndicate.errors import InputError
from syndicate.markdown.article import parse_article
from syndicate.review.bitext import Pair, find_template, load_bitext, written_pairs
from syndicate.translation.translate import translate_article
from tests.helpers import EXAMPLES, shared_file


def test_every_commonmark_example_pairs_with_its_translation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each of the 652 CommonMark examples (but one, whose front matter is not YAML),
    translated (pseudo) and written, pairs with its source, exactly as the run that wrote it
    records it; its placeholders are found again in all but the three examples whose literal
    `*` and `[` look like their markup (those segments are shown read-only, left out of
    XLIFF targets)."""
    examples = json.loads(shared_file("commonmark/commonmark.json").read_text(encoding="utf-8"))
    engine = PseudoEngine()
    paired = lost = refused = 0
    for i, example in enumerate(examples):
        source = tmp_path / f"{i}.md"
        source.write_text(example["markdown"], encoding="utf-8")
        try:
            article = parse_article(example["markdown"], path=source)
        except InputError:
            refused += 1  # front matter that is not YAML: not an article
            continue
        translation = translate_article(article, target="en-GB", engine=engine, source="id")
        output = tmp_path / f"{i}.en-GB.md"
        output.write_text(translation.text, encoding="utf-8")
        bitext = load_bitext(source, output)
        assert _recorded(written_pairs(bitext.plan, translation)) == _recorded(bitext.pairs), i
        paired += 1
        lost += any(p.target_template is None for p in bitext.pairs)
    with capsys.disabled():
        print(
            f"\nCommonMark {len(examples)} examples: {refused} not articles, {paired} paired, "
            f"{lost} with a lost code"
        )
    assert refused <= 1 and paired == len(examples) - refused and lost <= 3


def test_a_year_is_not_taken_from_inside_a_date() -> None:
    """Longer forms are found first: a bare year placeholder does not claim a date's year."""
    article = parse_article("Tahun 2025, tepatnya 25 Juni 2025, terjadi sesuatu di Jakarta.\n")
    from syndicate.translation.translate import analyse, plan_translation

    plan = plan_translation(analyse(article, source="id"), target="en-GB")
    [seg] = [s for s in plan.document.segments if s.translatable]
    forms = {
        p.index: (p.replacement or ("June 25, 2025" if p.entity else p.source))
        for p in seg.placeholders
    }
    # The translation puts the date first: the year's first "2025" is inside it.
    template = find_template(seg, "On June 25, 2025, in the year 2025, it happened.", forms)
    assert template is not None and template.count("⟦") == len(seg.placeholders)
    assert template.startswith("On ⟦") and "year ⟦" in template


def _recorded(pairs: tuple[Pair, ...]) -> list[tuple[int, str, str, str, str]]:
    """What the review store keeps of each pair."""
    return [(p.position, p.where, p.source, p.target, p.source_hash) for p in pairs]


def test_a_run_records_its_pairs_as_the_files_read_back(tmp_path: Path) -> None:
    """For every example into two locales, the pairs a run records without reading its
    output back are the ones read from the written file."""
    from syndicate.markdown.article import read_article

    for example in EXAMPLES:
        article = read_article(example)
        for locale in ("en-GB", "ja-JP"):
            translation = translate_article(article, target=locale, engine=PseudoEngine())
            output = tmp_path / f"{example.stem}.{locale}.md"
            output.write_text(translation.text, encoding="utf-8")
            bitext = load_bitext(example, output)
            assert _recorded(written_pairs(bitext.plan, translation)) == _recorded(bitext.pairs)
