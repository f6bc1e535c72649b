"""What runs reuse: the translation memory, its TMX import and export, the glossary."""
