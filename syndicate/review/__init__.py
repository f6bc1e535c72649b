"""Editors review before partners see: segment states, hand edits, XLIFF 2.1, a review page.

``store`` keeps each segment's state (machine, edited, approved, stale); ``bitext`` pairs a
source with a translation file segment by segment; ``edits`` reads translations back
(hand edits, source changes) and keeps what people did when a run writes again;
``changes`` is the one checked way a reviewed change is saved; ``xliff`` exports and
imports XLIFF 2.1; ``web`` serves the review page; ``stats`` measures how much editors
change each engine's output.
"""
