"""Entities in Indonesian text: recognition (``recognize``) and their typed values."""

from syndicate.entities.recognize import recognize

__all__ = ["recognize"]
