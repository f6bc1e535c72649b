"""Localizing: amounts, dates, times and numbers written for a target locale.

- ``entities``: recognition of Indonesian amounts, dates, times, percents, with typed values.
- ``profiles``: locale profiles (``locales/<tag>.yaml``, shipped and the newsroom's own).
- ``renderer``: entities rendered with Babel (CLDR) for one profile, money converted.
- ``cldr``: CLDR interval formats and the patterns Babel leaves out.
- ``rates``: dated exchange rates, with their source.
"""
