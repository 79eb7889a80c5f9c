"""Fixtures of the ingestion tests: the seed page and a local HTTP server (no network)."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from parklink.news.demo import SEED_FILE

CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture
def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html",  # no charset: the decoder must detect
        ".xml": "application/xml",
        ".txt": "text/plain",
    }

    def log_message(self, format, *args):  # keep test output quiet
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client hanging up early is fine
        pass


@pytest.fixture
def site(tmp_path):
    """A static site on 127.0.0.1 serving tmp_path/www; yields (root folder, base URL)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_Handler, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """A URL nobody listens on (a port bound then released)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/article.html"
