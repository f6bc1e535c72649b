"""Syndicating: translated articles -> partner packages.

``partners`` (the partners file) -> ``items`` (one per article and locale) -> ``formats``
(one writer per format, one registry) -> ``package`` (files and manifest, written to a
folder or a zip by ``write_package``); ``cursor``: what changed since the last package, for
the feeds' paging. Sending packages on is ``syndicate.delivery``.
"""
