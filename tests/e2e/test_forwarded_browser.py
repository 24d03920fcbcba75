"""Issue 17 (14): the app in local mode (no password, listening on localhost) behind a TCP
forwarder on another address. A browser coming through the forwarder is not on this machine:
it gets no analyst rights, while a browser on localhost keeps them."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from playwright.sync_api import expect

from tests.e2e.conftest import wait_idle


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


@contextmanager
def forwarder(target_port: int, host: str = "127.0.0.2") -> Iterator[str]:
    """A plain TCP forwarder from `host` to the app on 127.0.0.1 (like socat), until the
    block ends; bounded to this test's own loopback traffic."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, 0))
    server.listen(16)
    server.settimeout(0.5)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except OSError:
                continue
            upstream = socket.create_connection(("127.0.0.1", target_port))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        server.close()


def test_a_browser_through_a_forwarder_is_not_an_analyst(browser, fresh_app_url):
    port = int(fresh_app_url.rsplit(":", 1)[1])
    context = browser.new_context(locale="it-IT", viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(fresh_app_url + "/carica")
        wait_idle(page)
        expect(page.get_by_text("Modalità locale")).to_be_visible()
        with forwarder(port) as url:
            page.goto(url + "/carica")
            wait_idle(page)
            expect(page.get_by_test_id("stAlertContentInfo").get_by_text(
                "Funzioni per gli analisti disattivate")).to_be_visible()
            expect(page.get_by_text("Modalità locale")).to_have_count(0)
            expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    finally:
        context.close()
