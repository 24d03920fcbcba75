"""The load bench (issue 23): its websocket client against real servers, its arithmetic."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import aio, client, runner, servers, static
from bench.load.client import PageResult
from bench.load.report import Cell, errors, quantile, row, spread


def test_quantile_and_spread_by_nearest_rank():
    values = [0.4, 0.1, 0.3, 0.2, 1.0]
    assert quantile(values, 0.5) == 0.3  # 3rd of 5
    assert quantile(values, 0.95) == 1.0  # ceil(4.75) = 5th
    assert spread(values) == "0.30 / 1.00 / 1.00"
    assert spread([]) == "–"


def test_errors_counted_by_kind():
    assert errors([None, None]) == "0"
    assert errors(["timeout", "exception", "timeout"]) == "3 (2 timeout, 1 exception)"
    assert errors(["closed"], missing=2) == "3 (2 not reached, 1 closed)"


def test_arrivals():
    assert runner.delays("burst0", 3) == [0.0, 0.0, 0.0]
    assert runner.delays("spread60", 4) == [0.0, 15.0, 30.0, 45.0]
    burst = runner.delays("burst20", 50)
    assert burst == sorted(burst) and burst[0] >= 0 and burst[-1] < 20
    assert burst == runner.delays("burst20", 50)  # seeded
    with pytest.raises(ValueError):
        runner.delays("wave5", 3)


def test_refused_viewers_are_counted_and_do_not_hold_the_others():
    url = f"http://127.0.0.1:{servers.free_port()}"  # nobody listens there
    visits = aio.run(runner.crowd(url, client.PATH, [0.0, 0.1], 5, linger=True))
    assert visits == [[PageResult(0, None, "refused")]] * 2


def test_row_separates_first_and_following_pages():
    cell = Cell("app1", 2, "burst0", pages=2, peak_bytes=300 * 2**20, visits=[
        [PageResult(0, 1.0), PageResult(1, 0.5)],
        [PageResult(0, 3.0), PageResult(1, None, "timeout")]])
    assert row(cell) == ["app1", "2", "burst0", "1.00 / 3.00 / 3.00", "0.50 / 0.50 / 0.50",
                         "3/4", "1 (1 timeout)", "300"]


def crowd(config: servers.Config, db, log) -> tuple[list[list[PageResult]], int, list[str]]:
    """3 viewers at once through the whole path: their pages, the peak RSS, the menu."""
    with servers.serve(config, db, log) as (url, pgid):
        with servers.PeakMemory(pgid) as memory:
            visits = aio.run(runner.crowd(url, client.PATH, [0.0] * 3, 60, linger=True))
        menu = aio.run(client.listed_pages(url, 60))
    return visits, memory.peak, menu


@pytest.mark.parametrize("name", ["bare1", "app1"])
def test_viewers_finish_every_page(sample_db, tmp_path, name):
    visits, peak, menu = crowd(servers.Config(name), sample_db, tmp_path / "log")
    assert len(visits) == 3
    for visit in visits:
        assert [p.step for p in visit] == list(range(len(client.PATH)))
        assert all(p.error is None and p.seconds is not None and p.seconds > 0 for p in visit)
    assert peak > 50 * 2**20  # a Streamlit process, read from /proc
    if name == "app1":  # the path's page switches go to pages of the app's menu
        assert {s.page for s in client.PATH} <= set(menu)


def test_an_exception_in_a_page_is_an_error(sample_db, tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nst.title('x')\nraise RuntimeError('boom')\n")
    config = servers.Config("bad1", script=bad)
    with servers.serve(config, sample_db, tmp_path / "log",
                       options=servers.DIAGNOSTIC) as (url, _):
        visit = aio.run(client.visit(url, client.PATH[:2], 60))
    # the viewer goes on to the next page, which fails alike
    assert [(p.error, p.detail) for p in visit] == [("exception", "RuntimeError: boom")] * 2


def test_an_error_element_is_an_error(sample_db, tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nst.error('database unavailable')\n")
    with servers.serve(servers.Config("bad1", script=bad), sample_db, tmp_path / "log") as (
            url, _):
        visit = aio.run(client.visit(url, client.PATH[:2], 60))
    assert [(p.error, p.detail) for p in visit] == [("error-element", "database unavailable")] * 2


@pytest.fixture
def follow_site(tmp_path):
    """A static /segui/ page with two images (and an inline one), served over HTTP."""
    site = tmp_path / "segui"
    site.mkdir()
    (site / "index.html").write_text('<p>Slide</p><img alt="1" src="s1.png">'
                                     '<img src="/segui/s2.png"><img src="data:image/png;x">')
    (site / "s1.png").write_bytes(b"1" * 5000)
    (site / "s2.png").write_bytes(b"2")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", site
    server.shutdown()


def test_phones_load_the_follow_page_and_its_images(follow_site):
    base, site = follow_site
    html = (site / "index.html").read_bytes()
    assert static.images(base, html) == [f"{base}/segui/s1.png", f"{base}/segui/s2.png"]
    phones = aio.run(static.room(base, [0.0] * 5, 10))
    assert all(error is None and seconds and seconds > 0 for seconds, error in phones)
    (site / "s2.png").unlink()  # a missing image is an error of the phone
    assert aio.run(static.phone(base, 10)) == (None, "http-error")
