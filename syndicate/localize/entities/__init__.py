"""Entities in Indonesian text: recognition (``recognize``) and their typed values."""

from syndicate.localize.entities.recognize import recognize

__all__ = ["recognize"]
