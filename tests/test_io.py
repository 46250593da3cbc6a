"""Atomic writes: a failing write says why and leaves no temp file; a PNG never lacks its sidecar."""
import errno
import os

import numpy as np
import pytest

from gendsl import GendslError
from gendsl import io as gio
from gendsl.render import files


def test_a_full_disk_is_a_message_and_the_temp_file_goes(tmp_path, monkeypatch):
    def full(*_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(gio.os, "replace", full)
    with pytest.raises(GendslError, match="cannot write .*a.png: No space left on device"):
        gio.atomic_write_bytes(tmp_path / "a.png", b"x" * 100)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_the_way_is_a_message(tmp_path):
    (tmp_path / "a.png").mkdir()
    with pytest.raises(GendslError, match="a folder has that name"):
        gio.atomic_write_bytes(tmp_path / "a.png", b"x")


def test_the_sidecar_is_written_before_its_png(tmp_path, monkeypatch):
    image, meta = np.zeros((4, 4, 3), np.uint8), {"seed": 1}
    assert files.write_png(tmp_path / "a.png", image, meta, sidecar=True) == [tmp_path / "a.png", tmp_path / "a.json"]

    def killed(*_):  # the run dies between the two writes
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "atomic_write_bytes", killed)
    with pytest.raises(KeyboardInterrupt):
        files.write_png(tmp_path / "b.png", image, meta, sidecar=True)
    assert (tmp_path / "b.json").exists() and not (tmp_path / "b.png").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(gio.TEMP_PREFIX)]
