"""Stage 4, syndicating: translated articles -> partner packages.

``partners`` (the partners file) -> ``items`` (one per article and locale) -> ``formats``
(one writer per format, one registry) -> ``package`` (files, manifest, delivery).
"""
