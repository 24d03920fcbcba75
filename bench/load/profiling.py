"""Where a new session's time goes: one app process under yappi, `n` new sessions open
Panoramica (after a warm-up that is not counted), the top cumulative entries per session."""

from __future__ import annotations

import os
import pstats
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench.load import aio, client, runner, servers

WRAPPER = "bench.load.profiled"
# (what, a regular expression on "file:line(function)"): the largest cumulative time matched
GROUPS = (
    ("new session (AppSession created)", r"\(AppSession\.__init__\)"),
    ("websocket message → rerun request", r"\(AppSession\.handle_backmsg\)"),
    ("script run (whole)", r"\(ScriptRunner\._run_script\)"),
    ("after the run (gc.collect(2) if runner.postScriptGC)",
     r"\(ScriptRunner\._on_script_finished\)"),
    ("our frame (cx/ui/frame.py run)", r"cx/ui/frame\.py:\d+\(run\)"),
    ("sidebar filters", r"cx/ui/frame\.py:\d+\(filter_sidebar\)"),
    ("access panel", r"cx/ui/access\.py:\d+\(access_panel\)"),
    ("glance chips", r"cx/ui/glance\.py:\d+\(chips\)"),
    ("st.navigation", r"navigation\.py:\d+\(navigation\)"),
    ("Panoramica page file", r"pages/panoramica\.py:\d+\(<module>\)"),
    ("st.cache_data lookups", r"\(CachedFunc\._get_or_create_cached_value\)"),
    ("st.cache_data: hash the arguments", r"\(_make_value_key\)"),
    ("st.cache_data: hash a DataFrame argument", r"hashing\.py:\d+\(hash_pandas_object\)"),
    ("st.cache_data: unpickle a hit", r"cache_data_api\.py:\d+\(\w*\.?read_result\)"),
    ("Altair chart to spec (to_dict)", r"altair/.*:\d+\(to_dict\)"),
    ("Altair/jsonschema validation", r"(altair/.*:\d+\(validate\)|jsonschema/.*iter_errors)"),
    ("st.altair_chart / st.vega_lite_chart", r"vega_charts\.py:\d+\(\w+\._vega_lite_chart\)"),
    ("cx chart spec (cx/ui/widgets.py spec)", r"cx/ui/widgets\.py:\d+\(spec\)"),
    ("dataframes to Arrow", r"dataframe_util\.py:\d+\(convert_pandas_df_to_arrow_bytes\)"),
    ("element enqueue (DeltaGenerator._enqueue)", r"\(DeltaGenerator\._enqueue\)"),
    ("ForwardMsg serialize/send", r"\((serialize_forward_msg|\w+\.write_forward_msg)\)"),
    ("DuckDB queries (cx/store)", r"cx/store/.*:\d+\((fetch|query|execute|frame)\w*\)"),
    ("i18n t()", r"cx/i18n\.py:\d+\(t\)"),
)


def _label(key: tuple[str, int, str]) -> str:
    path, line, func = key
    short = re.sub(r".*/(site-packages|wt-[^/]+|main)/", "", path)
    return f"{short}:{line}({func})"


def summary(stats_file: Path, sessions: int, top: int = 40) -> str:
    stats = pstats.Stats(str(stats_file))
    table = stats.stats  # type: ignore[attr-defined]
    rows = sorted(((v[3], v[2], _label(k)) for k, v in table.items()), reverse=True)
    lines = [f"CPU ms per new session (Panoramica), {sessions} sessions, yappi CPU clock "
             "(inflated by the profiler: compare the rows, not the absolute ms)", "",
             "| what | cumulative ms / session |", "|---|---|"]
    for what, pattern in GROUPS:
        found = [cum for cum, _, label in rows if re.search(pattern, label)]
        lines.append(f"| {what} | {max(found) * 1000 / sessions:.1f} |" if found
                     else f"| {what} | (not seen) |")
    lines += ["", f"Top {top} by cumulative CPU (ms / session, own ms / session):", ""]
    lines += [f"{cum * 1000 / sessions:9.1f} {own * 1000 / sessions:8.1f}  {label}"
              for cum, own, label in rows[:top]]
    return "\n".join(lines)


def main(sessions: int, db: Path, timeout: float, options: tuple[str, ...] = ()) -> None:
    out = runner.OUT / "load_profile.pstat"
    out.unlink(missing_ok=True)
    prefix = [sys.executable, "-m", WRAPPER, str(out)]
    with tempfile.TemporaryDirectory(prefix="cx-load-") as tmp:
        copy = runner.private_copy(db, Path(tmp))
        with servers.serve(servers.Config("app1"), copy, runner.OUT / "load_profile.log",
                           prefix=prefix, options=options) as (url, pgid):
            home = client.PATH[:1]
            aio.run(client.visit(url, home, timeout))  # warm-up: caches, imports
            os.kill(pgid, signal.SIGUSR1)
            time.sleep(0.5)
            arrivals = runner.delays(f"spread{max(sessions // 3, 1)}", sessions)
            visits = aio.run(runner.crowd(url, home, arrivals, timeout))
    failed = sum(1 for v in visits if not v or v[-1].error or v[-1].seconds is None)
    if not out.exists():
        raise RuntimeError("the profiled server wrote no stats (see bench/out/load_profile.log)")
    text = summary(out, sessions) + (f"\n\n{failed} sessions failed." if failed else "")
    (runner.OUT / "load_profile.md").write_text(text + "\n")
    print(text)
