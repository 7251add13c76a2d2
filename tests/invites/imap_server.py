"""A real IMAP server (pymap, its in-memory dict backend) started on a free loopback port by the test."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PYMAP = Path(sys.executable).with_name("pymap")


def _free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def imap_server(app: Any) -> Iterator[str]:
    """A real IMAP server (pymap, dict backend) on loopback for this test; the app's IMAP_URL points at it."""
    port = _free_port()
    process = subprocess.Popen(
        [str(PYMAP), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                time.sleep(0.05)
        url = f"imap://demouser:demopass@127.0.0.1:{port}/INBOX"
        saved = app.config.get("IMAP_URL", "")
        app.config["IMAP_URL"] = url
        yield url
        app.config["IMAP_URL"] = saved
    finally:
        process.terminate()
        process.wait(timeout=10)


def open_mailbox(url: str) -> Any:
    """A logged-in IMAPClient on the test server."""
    from imapclient import IMAPClient

    from matchmaker.invites.inbound import mailbox_from_url

    box = mailbox_from_url(url)
    client = IMAPClient(box.host, port=box.port, ssl=False, timeout=10)
    client.login(box.username, box.password)
    return client
