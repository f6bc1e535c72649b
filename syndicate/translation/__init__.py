"""Translating one article into one locale, in stage order.

``detect`` (language) -> ``protect`` (entities, glossary terms, markup as placeholders) ->
``translate`` (memory, engine, restore, localize, reassemble) -> ``qa`` (checks);
``sentences``: a paragraph the memory knows sentence by sentence, assembled from them.
"""
