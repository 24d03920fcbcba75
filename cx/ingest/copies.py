"""Rows already loaded, found again in an upload without respondent ids (issue 17, item 6).

A file without ids gets ids made from its hash, so the same answers in other bytes (a copy
saved with other line endings, an incremental Google Forms export holding the earlier rows
too) would count every respondent twice. A row *says the same* as a stored row of its wave
when every answer (company included) and every cell of the columns kept beside the answers
(the timestamp of a form, for one) are equal (`cx.store.upload.copies`); such rows are counted
in the preview, and the analyst chooses to leave them out (they go to quarantine, named) or to
load them anyway.
"""

from __future__ import annotations

from cx.store.upload import Plan

CHOICES = ("skip", "keep")


def checked(plan: Plan) -> bool:
    """Whether an upload's rows are compared with the stored ones: appended, without ids."""
    return plan.mode == "append" and "respondent_id" not in plan.whole_map
