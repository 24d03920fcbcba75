"""The Carica dati page in real Streamlit (AppTest), uploading one file and confirming it: run
as a process of its own by tests/test_faults.py, which kills it while it commits
(`CX_FAULT`). Usage: python tests/apps/upload_page.py FILE (the database: $CX_DB)."""

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]

data = Path(sys.argv[1])
at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
at.query_params["lang"] = "it"
at.run()
at.switch_page("pages/carica.py").run()
at.file_uploader[0].set_value((data.name, data.read_bytes(), "text/csv")).run()
if any(n.key == "upload_wave" for n in at.number_input):
    at.number_input(key="upload_wave").set_value(2027).run()
for key in ("upload_commit", "upload_partial", "upload_confirm"):
    if any(b.key == key for b in at.button):
        at.button(key=key).click().run()
assert not at.exception, [e.value for e in at.exception]
print("\n".join(m.value for m in [*at.success, *at.warning, *at.error]))
