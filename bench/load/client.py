"""A simulated viewer speaking Streamlit's websocket protocol, as the browser does: GET the
page (cookies: the proxy's sticky one, Streamlit's XSRF one), open `/_stcore/stream`, send a
`rerun_script` BackMsg per page and wait for the `script_finished` ForwardMsg."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Origin, Subprotocol

from bench.load import httpget as http

XSRF_COOKIE = "_streamlit_xsrf"
SECTOR_KEY = "settore"  # cx.ui.state.SECTORS: the sidebar's sector filter


@dataclass(frozen=True)
class Step:
    """One page of a viewer's path: its URL path ("" = home), its query string, and whether
    the viewer then picks the sidebar's first sector (a second run, timed with the page)."""

    page: str
    query: str = ""
    sector: bool = False


# Panoramica → Risultati with a question and a sector → Personas → a slide
PATH = (Step(""), Step("risultati", "domanda=cx_indicators", sector=True), Step("personas"),
        Step("presentazione", "slide=3"))


@dataclass(frozen=True)
class PageResult:
    step: int
    seconds: float | None  # None when the page never finished
    error: str | None = None  # refused, http-error, timeout, closed, exception, error-element,
    # not-found
    detail: str | None = None  # the error's text (an exception's message, an error's body)


class Session:
    """One websocket session: the pages the app's navigation lists and the widgets seen."""

    def __init__(self, ws: ClientConnection, base: str) -> None:
        self.ws, self.base = ws, base
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.menu: list[str] = []  # the url paths the menu shows (hidden pages left out)
        self.widgets: dict[str, list[str]] = {}  # multiselect id -> its options
        self.current = ""  # the page script hash of the last run
        self.detail: str | None = None  # the text of the last error seen

    def client_state(self, step: Step, first: bool, sector: bool = False) -> ClientState:
        """The BackMsg's state: the first run names the page by its URL; a page switch
        names it by hash as the navigation does (a rerun of the only page of a bare app)."""
        state = ClientState(query_string=step.query, page_name=step.page)
        if not first:
            state.page_script_hash = self.pages.get(step.page, self.current)
        if sector:
            for wid, options in self.widgets.items():
                if wid.endswith("-" + SECTOR_KEY) and options:
                    widget = state.widget_states.widgets.add(id=wid)
                    widget.string_array_value.data.append(options[0])
        state.context_info.url = f"{self.base}/{step.page}"
        state.context_info.locale = "it-IT"
        state.context_info.timezone = "Europe/Rome"
        return state

    async def run(self, state: ClientState) -> str | None:
        """Run a page; its error kind or None. Raises TimeoutError/ConnectionClosed."""
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        error = None
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv(decode=False))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.current = msg.new_session.page_script_hash
            elif kind == "navigation":
                pages = msg.navigation.app_pages
                self.pages = {p.url_pathname: p.page_script_hash for p in pages}
                self.menu = [p.url_pathname for p in pages if not p.is_hidden]
            elif kind == "delta":
                error = error or self._delta(msg)
            elif kind == "page_not_found":
                error = error or "not-found"
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    error = None  # st.switch_page / st.rerun: the next run counts
                    continue
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    return "exception"
                return error

    async def page(self, step: Step, first: bool) -> str | None:
        error = await self.run(self.client_state(step, first))
        if step.sector and not error:
            error = await self.run(self.client_state(step, False, sector=True))
        return error

    def _delta(self, msg: ForwardMsg) -> str | None:
        if msg.delta.WhichOneof("type") != "new_element":
            return None
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "multiselect":
            self.widgets[element.multiselect.id] = list(element.multiselect.options)
        if kind == "exception":
            self.detail = f"{element.exception.type}: {element.exception.message}"[:300]
            return "exception"
        if kind == "alert" and element.alert.format == Alert.ERROR:
            self.detail = element.alert.body[:300]
            return "error-element"
        return None


async def _open(base: str, first: Step, timeout: float) -> ClientConnection:
    """GET the page like a browser, then open the websocket with the cookies it set."""
    jar = http.Jar()
    url = f"{base}/{first.page}" + (f"?{first.query}" if first.query else "")
    await http.get(url, jar, timeout)
    ws_base = "ws" + base[len("http"):]
    protocols = [Subprotocol("streamlit")]
    if XSRF_COOKIE in jar.cookies:
        protocols.append(Subprotocol(jar.cookies[XSRF_COOKIE]))
    headers = {"Cookie": jar.header()} if jar.cookies else {}
    return await connect(f"{ws_base}/_stcore/stream", subprotocols=protocols,
                         additional_headers=headers, origin=Origin(base), max_size=None,
                         open_timeout=timeout, ping_interval=None, proxy=None)


async def visit(base: str, steps: tuple[Step, ...], timeout: float,
                hold: Callable[[], Awaitable[object]] | None = None) -> list[PageResult]:
    """A viewer's visit: one result per page reached (it stops at the first failed page).
    The first page's time runs from the viewer's arrival (HTTP GET included). `hold` is
    awaited before the websocket closes (a phone that stays on the page)."""
    base = base.rstrip("/")
    start = time.perf_counter()
    try:
        ws = await asyncio.wait_for(_open(base, steps[0], timeout), timeout)
    except TimeoutError:
        return [PageResult(0, None, "timeout")]
    except http.HttpError:
        return [PageResult(0, None, "http-error")]
    except (OSError, InvalidHandshake, ConnectionClosed):
        return [PageResult(0, None, "refused")]
    results: list[PageResult] = []
    session = Session(ws, f"http://{urlsplit(base).netloc}")
    try:
        for i, step in enumerate(steps):
            if i:
                start = time.perf_counter()
            left = timeout - (time.perf_counter() - start)
            try:
                error = await asyncio.wait_for(session.page(step, i == 0), max(left, 0.001))
            except TimeoutError:
                results.append(PageResult(i, None, "timeout"))
                break
            except ConnectionClosed:
                results.append(PageResult(i, None, "closed"))
                break
            results.append(PageResult(i, time.perf_counter() - start, error,
                                      session.detail if error else None))
    finally:
        if hold is not None:
            await hold()
        await ws.close()
    return results


async def listed_pages(base: str, timeout: float) -> list[str]:
    """The URL paths of the pages the app's menu shows (the home page's is "")."""
    base = base.rstrip("/")
    ws = await asyncio.wait_for(_open(base, Step(""), timeout), timeout)
    try:
        session = Session(ws, base)
        await asyncio.wait_for(session.run(session.client_state(Step(""), True)), timeout)
        return session.menu
    finally:
        await ws.close()
