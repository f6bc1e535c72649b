"""Dated exchange rates: ECB files in, lookups on or before a date, cross rates, citations."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from syndicate.errors import ConfigError, InputError
from syndicate.localize.rates import (
    ECB,
    RateTable,
    load_rates,
    parse_ecb,
    save_rates,
    with_source,
)

# Shaped like the ECB's eurofxref-hist.xml (two days, a few currencies).
ECB_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube>
    <Cube time="2025-06-25"><Cube currency="USD" rate="1.1598"/><Cube currency="IDR" rate="18914.13"/><Cube currency="JPY" rate="169.07"/></Cube>
    <Cube time="2025-06-24"><Cube currency="USD" rate="1.1607"/><Cube currency="IDR" rate="18947.15"/><Cube currency="JPY" rate="168.27"/></Cube>
  </Cube>
</gesmes:Envelope>
"""
ECB_CSV = b"Date,USD,JPY,IDR,\n2025-06-25,1.1598,169.07,18914.13,\n2025-06-24,1.1607,168.27,N/A,\n"


def table() -> RateTable:
    return with_source(RateTable().merged(parse_ecb(ECB_XML)), ECB, "ECB reference rates")


def test_xml_csv_and_zip_give_the_same_days() -> None:
    """The daily/historical XML, the CSV and the zipped CSV all parse."""
    xml = parse_ecb(ECB_XML)
    assert [(q.date.isoformat(), q.base, q.quotes["IDR"]) for q in xml] == [
        ("2025-06-25", "EUR", Decimal("18914.13")),
        ("2025-06-24", "EUR", Decimal("18947.15")),
    ]
    csv = parse_ecb(ECB_CSV)
    assert csv[0].quotes == xml[0].quotes and "IDR" not in csv[1].quotes  # N/A is skipped
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", ECB_CSV)
    assert parse_ecb(buffer.getvalue())[0].quotes == csv[0].quotes


def test_cross_rate_via_eur_on_or_before_the_date() -> None:
    """USD/IDR is EUR/IDR over EUR/USD, from the latest day not after the article's."""
    t = table()
    rate = t.lookup("USD", "IDR", dt.date(2025, 6, 28))  # a Saturday: Wednesday's rate
    assert rate is not None and rate.date == dt.date(2025, 6, 25) and rate.via == "EUR"
    assert rate.value == Decimal("18914.13") / Decimal("1.1598")
    earlier = t.lookup("USD", "IDR", dt.date(2025, 6, 24))
    assert earlier is not None and earlier.date == dt.date(2025, 6, 24)
    assert t.lookup("USD", "IDR", dt.date(2025, 6, 23)) is None  # never a later rate
    inverse = t.lookup("IDR", "EUR", dt.date(2025, 6, 25))
    assert inverse is not None and inverse.value == 1 / Decimal("18914.13")


def test_citation_reads_the_usual_way_round() -> None:
    """A tiny IDR->USD rate is cited as 1 USD = 16,308.10 IDR, with date and source."""
    t = table()
    rate = t.lookup("IDR", "USD", dt.date(2025, 6, 25))
    assert rate is not None
    assert rate.cite(t.sources) == (
        "1 USD = 16,308.10 IDR on 2025-06-25 (ECB reference rates, cross rate via EUR)"
    )


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    """What is saved loads back the same."""
    path = tmp_path / "rates.yaml"
    save_rates(table(), path)
    again = load_rates(path)
    assert again.records == table().records
    assert again.sources == {"ecb": "ECB reference rates"}


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    """An XXE attempt in a rates file reads no local file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    evil = ECB_XML.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>'.encode(),
    ).replace(b"Reference rates", b"&s;")
    try:
        records = parse_ecb(evil)
    except InputError:
        return
    assert all("TOPSECRET" not in str(r) for r in records)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>not rates</html>", "no ECB reference rates"),
        (b"hello,world\n", "no 'Date' column"),
        (b"<x>", "not valid XML"),
        (b"Date,USD\n2025-13-01,1.1\n", "is not YYYY-MM-DD"),
    ],
)
def test_bad_rate_files(data: bytes, message: str) -> None:
    """Files that are not ECB rates say so, naming the file."""
    with pytest.raises(InputError, match=message):
        parse_ecb(data, "rates.xml")


def test_bad_rates_yaml(tmp_path: Path) -> None:
    """A hand-edited rates file with a broken record names the record."""
    path = tmp_path / "rates.yaml"
    path.write_text("rates:\n  - {date: 2025-06-25, base: EUR}\n")
    with pytest.raises(ConfigError, match=r"rates\[0\] needs date, base, source and quotes"):
        load_rates(path)
