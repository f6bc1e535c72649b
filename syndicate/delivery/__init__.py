"""Delivery: sending built packages to partners (folder, zip, SFTP, FTP/FTPS, S3, HTTPS push).

``base`` (the transport protocol, the registry, the retry policy) -> one module per
transport -> ``local`` (a built package read back from disk) -> ``journal`` (what was sent,
per partner, in SQLite) -> ``run`` (who gets what, in which order, with which retries).
"""
