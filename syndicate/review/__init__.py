"""Editors review before partners see: segment states, hand edits, XLIFF 2.1, a review page.

``store`` keeps each segment's state (machine, edited, approved, stale); ``bitext`` pairs a
source with a translation file segment by segment; ``edits`` reads translations back and
takes hand edits and source changes into their states; ``xliff`` exports and imports
XLIFF 2.1 for CAT tools.
"""
