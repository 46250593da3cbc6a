"""Runs many `gendsl` command lines in one process, for tests/test_fuzz.py (not a test file itself).

    python tests/fuzz_driver.py cases.json     # cases: [{"name": …, "argv": […], "cwd": …}, …]

Prints one JSON line per case: its exit code, what it printed on stderr, any exception that escaped
`gendsl.cli.main` (a traceback), and the seconds it took. The test runs this driver in a subprocess
under memory and CPU limits, so that a hostile input that blows up takes the driver down, not the
test run; one process for many cases keeps the default run quick (gendsl imports once).
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
import traceback


def run(case: dict) -> dict:
    from gendsl.cli import main

    stderr, stdout = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    escaped = None
    cwd = os.getcwd()
    try:
        os.chdir(case.get("cwd", cwd))
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            code = main(case["argv"])
    except SystemExit as exit_:  # argparse's own refusals
        code = exit_.code
    except BaseException:  # noqa: BLE001 - the point is to see anything that escapes
        code, escaped = None, traceback.format_exc()
    finally:
        os.chdir(cwd)
    return {"name": case["name"], "code": code, "stderr": stderr.getvalue()[-4000:], "escaped": escaped,
            "seconds": round(time.perf_counter() - started, 3)}


def main(path: str) -> None:
    with open(path) as f:
        cases = json.load(f)
    out = sys.stdout
    for case in cases:
        print(json.dumps(run(case)), file=out, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
