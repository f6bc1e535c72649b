"""Typed values of recognized entities, and their JSON shapes (DESIGN.md, `localize --json`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ZONE_OFFSETS = {"WIB": 7, "WITA": 8, "WIT": 9}


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217
    scaled: bool = False  # written with a scale word (juta, miliar...): render compactly
    decimals: int = 0  # decimals as written

    def to_json(self) -> dict[str, Any]:
        return {"amount": _plain(self.amount), "currency": self.currency}


@dataclass(frozen=True, slots=True)
class Percent:
    value: Decimal
    decimals: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"value": _plain(self.value)}


@dataclass(frozen=True, slots=True)
class DateValue:
    year: int | None
    month: int | None
    day: int | None
    weekday: int | None = None  # 0 = Monday, when written

    @property
    def date(self) -> dt.date | None:
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None

    @property
    def weekday_mismatch(self) -> bool:
        d = self.date
        return d is not None and self.weekday is not None and d.weekday() != self.weekday

    def to_json(self) -> dict[str, Any]:
        d = self.date
        return {
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "weekday": WEEKDAYS_EN[self.weekday] if self.weekday is not None else None,
            "iso": d.isoformat() if d else None,
        }


@dataclass(frozen=True, slots=True)
class TimeValue:
    hour: int
    minute: int
    second: int | None = None
    zone: str | None = None  # WIB, WITA, WIT

    @property
    def offset_hours(self) -> int | None:
        return ZONE_OFFSETS.get(self.zone) if self.zone else None

    @property
    def clock(self) -> str:
        base = f"{self.hour:02d}:{self.minute:02d}"
        return f"{base}:{self.second:02d}" if self.second is not None else base

    def to_json(self) -> dict[str, Any]:
        offset = self.offset_hours
        return {
            "time": self.clock,
            "utc_offset": f"+{offset:02d}:00" if offset is not None else None,
            "zone": self.zone,
        }


@dataclass(frozen=True, slots=True)
class DateTimeValue:
    date: DateValue
    time: TimeValue | Range[TimeValue]  # "Jumat (4/7) pukul 08.00–12.00 WITA"

    def to_json(self) -> dict[str, Any]:
        d = self.date.date
        iso = None
        if d is not None and isinstance(self.time, TimeValue):
            t = self.time
            iso = f"{d.isoformat()}T{t.hour:02d}:{t.minute:02d}:{t.second or 0:02d}"
            if self.time.offset_hours is not None:
                iso += f"+{self.time.offset_hours:02d}:00"
        return {"date": self.date.to_json(), "time": self.time.to_json(), "iso": iso}


Value = Money | Percent | DateValue | TimeValue | DateTimeValue


V = TypeVar("V", Money, Percent, DateValue, TimeValue, DateTimeValue)


@dataclass(frozen=True, slots=True)
class Range(Generic[V]):
    """A range written with - or –: both ends of the same kind."""

    start: V
    end: V

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.to_json(), "to": self.end.to_json()}


def _plain(value: Decimal) -> str:
    """A decimal as a plain string: no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
