"""Machine-translation engines behind one protocol (``base``), registered by entry point.

Built-ins: ``google``, ``libre``, ``deepl``, ``openai``, ``ct2`` (offline, with ``argos``
model packages) and ``pseudo``. ``http`` is their shared HTTP client; ``sentences`` splits
texts over an engine's length limit.
"""
