"""Reading articles: byte-faithful text, front matter values and spans, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.errors import InputError, MissingInputError
from syndicate.markdown.article import parse_article, read_article


def write(tmp_path: Path, data: bytes, name: str = "a.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_front_matter_and_body_are_split_exactly() -> None:
    """The body starts right after the closing fence and the values are parsed."""
    text = "---\ntitle: Halo\ndate: 2025-06-25\n---\n\nIsi berita.\n"
    article = parse_article(text)
    assert article.body == "\nIsi berita.\n"
    assert article.meta["title"] == "Halo"
    assert article.text == text


def test_article_without_front_matter() -> None:
    """A plain Markdown file is all body."""
    article = parse_article("# Judul\n\nIsi.\n")
    assert article.front_matter is None
    assert article.body_start == 0


def test_translatable_fields_have_exact_spans() -> None:
    """Title, summary and image captions are found with the span of their scalar."""
    text = (
        "---\ntitle: 'Judul: satu'\nsummary: >\n  Ringkasan\n  panjang\nimage:\n"
        "  url: /a.jpg\n  caption: Keterangan foto\nimages:\n  - alt: Teks alt\nslug: x\n---\nBody\n"
    )
    article = parse_article(text)
    assert article.front_matter is not None
    fields = {f.key: f for f in article.front_matter.fields}
    assert set(fields) == {"title", "summary", "image.caption", "images.0.alt"}
    assert text[fields["title"].start : fields["title"].end] == "'Judul: satu'"
    assert fields["summary"].value == "Ringkasan panjang\n"
    assert fields["summary"].suffix == "\n"
    assert text[fields["image.caption"].start : fields["image.caption"].end] == "Keterangan foto"


def test_bom_and_crlf_are_kept(tmp_path: Path) -> None:
    """A BOM and CRLF line endings survive reading untouched."""
    data = "\ufeff---\r\ntitle: Halo\r\n---\r\nIsi.\r\n".encode()
    article = read_article(write(tmp_path, data))
    assert article.text.encode() == data
    assert article.meta["title"] == "Halo"
    assert article.body == "Isi.\r\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \n\t\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"Judul\n\xff\xfeberita", "a.md:2: is not UTF-8 (byte 0xff)"),
        ("Berita".encode("utf-16"), "is UTF-16"),
        (b"---\ntitle: [unclosed\n---\nbody\n", "a.md:2: front matter is not valid YAML"),
        (b"---\ntitle: x\nbody without end\n", "front matter is not closed"),
        (b"---\n- a\n- b\n---\nbody\n", "front matter must be a mapping"),
        (b"---\ntitle: a\ntitle: b\n---\nbody\n", "a.md:3: front matter key 'title' appears twice"),
        (b"---\ntitle: 42\n---\nbody\n", "a.md:2: front matter key 'title' must be a string"),
    ],
)
def test_bad_input_gives_one_line_naming_the_file(
    tmp_path: Path, data: bytes, message: str
) -> None:
    """Each kind of bad file is refused with a message that names it."""
    with pytest.raises(InputError) as info:
        read_article(write(tmp_path, data))
    text = str(info.value)
    assert message in text
    assert "a.md" in text
    assert "\n" not in text


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    """YAML aliases that expand exponentially are refused before they are expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    data = ("---\n" + "\n".join(lines) + "\n---\nbody\n").encode()
    with pytest.raises(InputError, match="expands to more than"):
        read_article(write(tmp_path, data))


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    """A file that does not exist exits 2 like other usage errors."""
    with pytest.raises(MissingInputError) as info:
        read_article(tmp_path / "nope.md")
    assert info.value.exit_code == 2
