"""Fixtures shared by test files."""
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app_client():
    """The playground served on a free loopback port, and a gradio_client Client talking to it."""
    gradio_client = pytest.importorskip("gradio_client")
    sys.path.insert(0, str(ROOT))  # app.py lives at the repository root
    import app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = app.serve("127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        yield gradio_client.Client(f"http://127.0.0.1:{port}/", verbose=False)
    finally:
        demo.close()
