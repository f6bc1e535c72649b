"""Stage 3, translating one article into one locale, in stage order.

``detect`` (language) -> ``protect`` (entities, glossary terms, markup as placeholders) ->
``translate`` (memory, engine, restore, localize, reassemble) -> ``qa`` (checks).
"""
