"""An upload in SQL: staged in temp tables on one cursor, recoded, checked, and written, all
inside a transaction the store owns (`Store.staging`). The importer (`cx.ingest`) decides;
this package holds every statement it needs, behind the `Staging` methods.

The file's cells sit in `raw_upload` (VARCHAR columns c0, c1, … whatever the header said);
each column's distinct values are recoded in Python into a small table (`upload_recode`);
answers, problems and writes are then single queries, so a million rows never become Python
objects. Identifiers are generated (c<n>, question ids from the questionnaire); every value,
a file's column names included, is a bound parameter.
"""

from cx.store.upload.plan import Plan
from cx.store.upload.session import Staging

__all__ = ["Plan", "Staging"]
