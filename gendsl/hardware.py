"""What a run ran on, for model cards and reports: one line, the same wherever it is written."""
from __future__ import annotations

import os
import platform
import sys


def hardware() -> str:
    """'x86_64, 2 CPU cores, no GPU': TensorFlow's GPUs are listed only when it is already imported (a numpy
    model's card never pays for importing it)."""
    line = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores"
    if "tensorflow" not in sys.modules:
        return line + ", numpy (no GPU)"
    tf = sys.modules["tensorflow"]
    gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
    return line + (f", GPUs: {', '.join(gpus)}" if gpus else ", no GPU") + f", TensorFlow {tf.__version__}"
