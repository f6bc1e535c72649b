"""Indonesian notation tables: numbers, scale words, currencies, months, weekdays, zones.

CLDR (through Babel) has the standard month and weekday names; news also writes
``Agt``, ``Nopember``, ``Pebruari``, ``Ahad``, ``Jum'at`` and English months in bylines, and
no table anywhere maps ``Rp.``, ``dolar AS`` or ``M`` (= miliar, 10^9) to values, so the
tables are written here, once, for the recognizer to build its grammar from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

# Scale words and abbreviations -> power of ten. "M" is miliar (10^9), never million.
SCALE_WORDS = {
    "ribu": 3,
    "rb": 3,
    "juta": 6,
    "jt": 6,
    "miliar": 9,
    "milyar": 9,
    "triliun": 12,
    "kuadriliun": 15,
}
SCALE_LETTERS = {"K": 3, "M": 9, "T": 12}

# Currency written before the number -> ISO 4217.
CURRENCY_PREFIXES = {
    "Rp.": "IDR",
    "Rp": "IDR",
    "RP": "IDR",
    "IDR": "IDR",
    "US$": "USD",
    "USD": "USD",
    "S$": "SGD",
    "SGD": "SGD",
    "A$": "AUD",
    "AUD": "AUD",
    "HK$": "HKD",
    "HKD": "HKD",
    "RM": "MYR",
    "MYR": "MYR",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "JPY": "JPY",
    "CNY": "CNY",
    "RMB": "CNY",
    "KRW": "KRW",
    "THB": "THB",
    "INR": "INR",
    "SAR": "SAR",
    "AED": "AED",
    "CHF": "CHF",
    "CAD": "CAD",
    "NZD": "NZD",
    "TWD": "TWD",
    "PHP": "PHP",
    "VND": "VND",
    "$": "USD",
}
# Currency written after the number (and scale word) -> ISO 4217.
CURRENCY_WORDS = {
    "rupiah": "IDR",
    "dolar as": "USD",
    "dolar amerika serikat": "USD",
    "dolar amerika": "USD",
    "dollar as": "USD",
    "dolar singapura": "SGD",
    "dolar australia": "AUD",
    "dolar hong kong": "HKD",
    "dolar taiwan": "TWD",
    "dolar kanada": "CAD",
    "dolar": "USD",
    "ringgit": "MYR",
    "yen": "JPY",
    "euro": "EUR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "won": "KRW",
    "baht": "THB",
    "rupee": "INR",
    "riyal": "SAR",
    "poundsterling": "GBP",
    "pound sterling": "GBP",
    "pound": "GBP",
    "franc swiss": "CHF",
}

MONTHS = {
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "december": 12,
    "des": 12,
    "dec": 12,
}
WEEKDAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "jum’at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}
# English weekdays and months appear in Indonesian copy too (bylines, wire stamps).
ENGLISH_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
ENGLISH_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]

# Numbers written out in words (``lima ratus ribu rupiah``, ``setengah miliar``).
NUMBER_WORDS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "seratus": 100,
    "seribu": 1000,
}
# Multipliers inside a group (``dua puluh``, ``lima ratus``, ``tiga belas``).
GROUP_WORDS = {"belas": 10, "puluh": 10, "ratus": 100}
# Zones as written -> the zone a reader abroad knows (WP, Waktu Papua, is WIT).
ZONES = {"WIB": "WIB", "WITA": "WITA", "Wita": "WITA", "WIT": "WIT", "Wit": "WIT", "WP": "WIT"}


def alternation(words: Iterable[str], *, capital: bool = False) -> str:
    """A regex alternation, longest first; ``capital`` accepts Title and UPPER case too."""
    forms: set[str] = set()
    for word in words:
        forms.add(re.escape(word))
        if capital:
            forms.add(re.escape(word[:1].upper() + word[1:]))
            forms.add(re.escape(word.upper()))
    return "(?:" + "|".join(sorted(forms, key=lambda w: (-len(w), w))) + ")"


_ID_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_EN_GROUPED = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")


def parse_number(text: str) -> tuple[Decimal, int]:
    """An Indonesian number (``1.500.000``, ``9,6``) -> value and decimals written.

    Real news also writes English decimals (``522.7 juta dolar AS``) and groupings
    (``1,000,000``): a dot followed by exactly three digits groups thousands, any other
    dot is a decimal point; a comma is a decimal point unless it groups several threes.
    """
    if _ID_GROUPED.fullmatch(text):
        whole, _, frac = text.replace(".", "").partition(",")
    elif _EN_GROUPED.fullmatch(text):
        whole, _, frac = text.replace(",", "").partition(".")
    elif "," in text:
        whole, _, frac = text.partition(",")
    else:
        whole, _, frac = text.partition(".")
    value = Decimal(f"{whole}.{frac}") if frac else Decimal(whole)
    return value, len(frac)


def parse_number_words(words: list[str]) -> tuple[Decimal, int] | None:
    """An amount written in words -> its value and its largest scale (power of ten).

    ``lima ratus ribu`` is 500,000 (scale 3), ``dua juta lima ratus ribu`` 2,500,000,
    ``setengah miliar`` 500,000,000 (scale 9). None when the words do not make a number
    (``dua tiga``, ``juta`` alone, scales out of order).
    """
    total = Decimal(0)
    group = Decimal(0)  # the part below the next scale word
    digit = 0  # a unit word waiting for its multiplier (``lima`` before ``ratus``)
    last_scale: int | None = None
    largest = 0
    for raw in words:
        word = raw.lower()
        if word in NUMBER_WORDS and NUMBER_WORDS[word] < 10:
            if digit:
                return None
            digit = NUMBER_WORDS[word]
        elif word in NUMBER_WORDS:
            if digit:
                return None
            value = NUMBER_WORDS[word]
            if value == 1000:  # seribu: "se" (one) and the scale word ribu
                if group or (last_scale is not None and last_scale <= 3):
                    return None
                total += 1000
                last_scale, largest = 3, max(largest, 3)
            else:
                group += value
        elif word in GROUP_WORDS:
            if not digit:
                return None
            group += 10 + digit if word == "belas" else digit * GROUP_WORDS[word]
            digit = 0
        elif word == "setengah":
            group += digit + Decimal("0.5")
            digit = 0
        elif word in SCALE_WORDS and word not in ("rb", "jt"):
            scale = SCALE_WORDS[word]
            group += digit
            digit = 0
            if group == 0 or (last_scale is not None and scale >= last_scale):
                return None
            total += group.scaleb(scale)
            group, last_scale, largest = Decimal(0), scale, max(largest, scale)
        else:
            return None
    total += group + digit
    if total == 0:
        return None
    return total, largest
