"""Dated exchange rates: the store (``config/rates.yaml``), lookups, and ECB imports.

A rate is looked up for the article's date: the latest record on or before it, never a
later one and never silently today's. Records are direct (USD -> IDR), used inverted,
or crossed through a common base on the same day (the ECB publishes everything against
EUR, so USD/IDR = EUR/IDR / EUR/USD). The ECB files are parsed with lxml with entity
resolution and network access off; the CSV variant with the standard library.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from syndicate.errors import ConfigError, InputError
from syndicate.files import parse_xml, write_atomic

ECB = "ecb"
ECB_NAME = "European Central Bank euro foreign exchange reference rates"
ECB_URL = "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html"
_ECB_NS = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"


@dataclass(frozen=True, slots=True)
class Quote:
    """Rates of one day against one base currency, from one source."""

    date: dt.date
    base: str
    source: str
    quotes: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class Rate:
    """How many ``quote`` for one ``base``, as of ``date``, and how it was obtained."""

    base: str
    quote: str
    value: Decimal
    date: dt.date
    source: str
    via: str | None = None  # the common base of a cross rate

    def cite(self, sources: Mapping[str, str]) -> str:
        name = sources.get(self.source, self.source)
        how = f", cross rate via {self.via}" if self.via else ""
        base, quote, value = self.base, self.quote, self.value
        if value < 1:  # cite the way rates are quoted: 1 USD = 16,308 IDR, not 0.0001
            base, quote, value = quote, base, 1 / value
        digits = 2 if value >= 100 else 4
        return f"1 {base} = {value:,.{digits}f} {quote} on {self.date.isoformat()} ({name}{how})"


@dataclass(frozen=True, slots=True)
class RateTable:
    """Dated exchange rates (quotes), each with the source it came from."""

    records: tuple[Quote, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    missing_file: str | None = None  # the rates file looked for and not found
    file: str | None = None  # the rates file read; None: no file (RateTable() in a program)

    def why_empty(self) -> str | None:
        """Why no rate at all can be found, said to the user; None when there are rates.

        A table with no rates is not a gap in the rates: without this, a program that
        built ``LocalizeOptions()`` without rates read "no IDR/USD rate on or before ..."
        as if a day were missing from a file it never loaded.
        """
        if self.records:
            return None
        if self.missing_file:
            return f"the rates file {self.missing_file} does not exist"
        if self.file:
            return f"the rates file {self.file} holds no rates"
        return (
            "no rates loaded: set 'rates' in the settings to a rates file (the calls that "
            "take settings load it), or give LocalizeOptions(rates=load_rates(PATH))"
        )

    def lookup(self, base: str, quote: str, on: dt.date) -> Rate | None:
        """The latest rate on or before ``on``."""
        if base == quote:
            return Rate(base, quote, Decimal(1), on, "identity")
        for rec in sorted(
            (r for r in self.records if r.date <= on), key=lambda r: r.date, reverse=True
        ):
            q = rec.quotes
            if rec.base == base and quote in q:
                return Rate(base, quote, q[quote], rec.date, rec.source)
            if rec.base == quote and base in q and q[base]:
                return Rate(base, quote, 1 / q[base], rec.date, rec.source)
            if base in q and quote in q and q[base]:
                return Rate(base, quote, q[quote] / q[base], rec.date, rec.source, via=rec.base)
        return None

    def merged(self, new: Iterable[Quote]) -> RateTable:
        """This table with ``new`` records added, replacing same date, base and source."""
        by_key = {(r.date, r.base, r.source): r for r in self.records}
        for rec in new:
            by_key[(rec.date, rec.base, rec.source)] = rec
        records = tuple(sorted(by_key.values(), key=lambda r: (r.date, r.base, r.source)))
        return RateTable(records, dict(self.sources))


def unknown_currencies(codes: Iterable[str]) -> list[str]:
    """The codes that are not ISO 4217 currencies known to CLDR, sorted."""
    from babel.numbers import list_currencies

    return sorted(set(codes) - list_currencies())


RATES_FILE_LIMIT = 64 * 2**20  # years of daily rates for every currency fit in a few MiB


def load_rates(path: Path) -> RateTable:
    """Read a rates file; a missing file is an empty table that remembers the file's name."""
    if not path.is_file():
        return RateTable(missing_file=str(path))
    from syndicate.safeyaml import read_yaml_file

    data = read_yaml_file(path, "rates file", limit=RATES_FILE_LIMIT) or {}
    if not isinstance(data, dict):
        raise ConfigError("a rates file is a mapping with 'sources' and 'rates'", source=str(path))
    sources = {
        str(k): str(v.get("name", k) if isinstance(v, dict) else v)
        for k, v in (data.get("sources") or {}).items()
    }
    records = []
    for i, item in enumerate(data.get("rates") or []):
        where = f"rates[{i}]"
        try:
            records.append(
                Quote(
                    date=_date(item["date"]),
                    base=str(item["base"]).upper(),
                    source=str(item["source"]),
                    quotes={str(k).upper(): Decimal(str(v)) for k, v in item["quotes"].items()},
                )
            )
        except (KeyError, TypeError, AttributeError, ValueError, InvalidOperation) as exc:
            raise ConfigError(
                f"{where} needs date, base, source and quotes ({type(exc).__name__}: {exc})",
                source=str(path),
            ) from None
    # Checked once for the whole file: it is read on every run and holds years of days.
    unknown = set(unknown_currencies({c for rec in records for c in (rec.base, *rec.quotes)}))
    for i, rec in enumerate(records if unknown else ()):
        found = sorted(unknown & {rec.base, *rec.quotes})
        if found:
            raise ConfigError(
                f"rates[{i}]: {found[0]!r} is not an ISO 4217 currency code",
                source=str(path),
                hint="fix the code (IDR, USD, EUR...) or remove it",
            )
    return RateTable(tuple(records), sources, file=str(path))


def save_rates(table: RateTable, path: Path) -> None:
    """Write a rates file atomically, sorted, with each day's quotes on one line."""
    sources = {k: {"name": v} for k, v in sorted(table.sources.items())}
    for key in sources:
        if key == ECB:
            sources[key]["url"] = ECB_URL
    lines = [
        "# Dated exchange rates used to convert amounts (syndicate rates import / show).",
        "# Each record: the rates of one day against one base currency, from one source.",
        yaml.safe_dump({"sources": sources}, sort_keys=True, allow_unicode=True).rstrip(),
        "rates:",
    ]
    for rec in table.records:
        quotes = ", ".join(f'{k}: "{_plain(v)}"' for k, v in sorted(rec.quotes.items()))
        lines.append(
            f"  - {{date: {rec.date.isoformat()}, base: {rec.base}, source: {rec.source}, "
            f"quotes: {{{quotes}}}}}"
        )
    write_atomic(path, "\n".join(lines) + "\n")


def parse_ecb(data: bytes, name: str = "<ecb>") -> list[Quote]:
    """ECB reference rates: the daily or historical XML, the CSV, or the CSV zip."""
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                member = next(n for n in archive.namelist() if n.lower().endswith((".csv", ".xml")))
                return parse_ecb(archive.read(member), f"{name}:{member}")
        except (zipfile.BadZipFile, StopIteration):
            raise InputError(name, "is not an ECB rates zip (no .csv or .xml inside)") from None
    head = data.lstrip()[:5]
    return _parse_ecb_xml(data, name) if head.startswith(b"<") else _parse_ecb_csv(data, name)


def _parse_ecb_xml(data: bytes, name: str) -> list[Quote]:
    root = parse_xml(data, name)
    out = []
    for day in root.iter(f"{{{_ECB_NS}}}Cube"):
        when = day.get("time")
        if not when:
            continue
        quotes = {
            c.get("currency", ""): Decimal(c.get("rate", "0"))
            for c in day
            if c.get("currency") and c.get("rate")
        }
        out.append(Quote(_date(when), "EUR", ECB, quotes))
    if not out:
        raise InputError(name, "has no ECB reference rates (no <Cube time=...> elements)")
    return out


def _parse_ecb_csv(data: bytes, name: str) -> list[Quote]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, "is neither ECB XML nor ECB CSV (not UTF-8 text)") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0][:1] != ["Date"]:
        raise InputError(name, "is neither ECB XML nor ECB CSV (no 'Date' column)", line=1)
    header = [h.strip() for h in rows[0]]
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        quotes = {}
        for code, cell in zip(header[1:], row[1:], strict=False):
            cell = cell.strip()
            if code and cell and cell != "N/A":
                try:
                    quotes[code] = Decimal(cell)
                except InvalidOperation:
                    raise InputError(
                        name, f"rate {cell!r} for {code} is not a number", line=n
                    ) from None
        try:
            out.append(Quote(_date(row[0].strip()), "EUR", ECB, quotes))
        except ValueError:
            raise InputError(name, f"date {row[0]!r} is not YYYY-MM-DD", line=n) from None
    return out


def select(
    records: Iterable[Quote],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    currencies: set[str] | None = None,
) -> list[Quote]:
    """Records within dates, with only the wanted currencies."""
    out = []
    for rec in records:
        if (start and rec.date < start) or (end and rec.date > end):
            continue
        quotes = {k: v for k, v in rec.quotes.items() if not currencies or k in currencies}
        if quotes:
            out.append(Quote(rec.date, rec.base, rec.source, quotes))
    return out


def with_source(table: RateTable, key: str, name: str) -> RateTable:
    return RateTable(table.records, {**table.sources, key: name})


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
