"""PNG files written on worker threads, so encoding and file system calls overlap with drawing.

Pillow's zlib encoder and the open/rename calls of an atomic write release the GIL, and so does
the network, so a render draws the next batch while the last one is written. Paths come back in
the order the writes were asked for; the first failed write is raised by `finish`.
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .files import write_png

WORKERS = 2


class PngWriter:
    def __init__(self, workers: int = WORKERS):
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="gendsl-png")
        self._pending: list[Future] = []

    def write(self, path: Path, image, metadata: dict, sidecar: bool = False) -> None:
        self._pending.append(self._pool.submit(write_png, path, image, metadata, sidecar))

    def finish(self) -> list[Path]:
        """Wait for every write; the files written, in order."""
        try:
            return [path for future in self._pending for path in future.result()]
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
