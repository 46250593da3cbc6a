"""Importing TensorFlow without its start-up chatter on the terminal.

TensorFlow 2.2x prints oneDNN and CUDA notices through absl before
TF_CPP_MIN_LOG_LEVEL is read, so the only way to keep them off a user's
terminal is to point file descriptor 2 elsewhere while it imports and finds
its devices. Python errors are unaffected (stderr is restored before any is
shown). GENDSL_TF_LOGS=1 keeps the notices, for debugging a GPU set-up.
"""
from __future__ import annotations

import os
import sys


def import_tensorflow_quietly() -> None:
    if "tensorflow" in sys.modules or os.environ.get("GENDSL_TF_LOGS"):
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    except OSError:  # no usable stderr descriptor (some embedded interpreters)
        return
    sys.stderr.flush()
    os.dup2(null, 2)
    try:
        import tensorflow as tf
        tf.config.list_physical_devices()
    finally:
        os.dup2(saved, 2)
        os.close(null)
        os.close(saved)
