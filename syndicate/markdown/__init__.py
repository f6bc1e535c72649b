"""Reading: an article's text to segments and back, byte-faithfully.

- ``article``: a Markdown file with YAML front matter -> ``Article`` (checked front matter).
- ``frontmatter``: the translated front matter, written back by exact scalar spans.
- ``segment``: the body -> segments with numbered placeholders for inline markup, and back;
  the Markdown structure a translation must keep.
- ``html``: Markdown -> sanitized HTML, and HTML -> plain text.
- ``importer``: a scraped plain-text page -> a Markdown article.
"""
