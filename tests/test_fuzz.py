"""Hostile input, as an adversarial user would send it: every case ends with exit 2 and a message.

Each group runs in one subprocess (tests/fuzz_driver.py) under memory and CPU limits, and each case
must finish fast, print a message and no traceback, and leave nothing half-written: no temp files,
no PNG without its metadata. Grammar mutations of the shipped sketches may be valid (exit 0) or not
(exit 2), never anything else. `pytest -m soak` runs many more mutations.
"""
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import fuzz_cases as fc

ROOT = Path(__file__).resolve().parents[1]
MEMORY = 2 * 1024 ** 3  # bytes of address space for the driver: 3.4 GB blew past this before
CPU_SECONDS = 240
CASE_SECONDS = 15.0  # per case, on a busy shared machine; the slow cases took minutes or never ended


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def drive(cases: list[dict], folder: Path, timeout: float = 300, preexec=limited) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "cases.json"
    spec.write_text(json.dumps(cases))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "fuzz_driver.py"), str(spec)], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec, env=env, cwd=folder)
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(cases), f"the driver died after {len(results)} cases:\n{done.stderr[-3000:]}"
    return results


def assert_refused(results: list[dict], allowed=(2,)):
    bad = [r for r in results if r["escaped"] or r["code"] not in allowed or "Traceback" in r["stderr"]
           or (r["code"] == 2 and not r["stderr"].strip()) or r["seconds"] > CASE_SECONDS]
    assert not bad, "\n\n".join(f"{r['name']}: exit {r['code']} in {r['seconds']} s\n{r['escaped'] or r['stderr']}"
                                for r in bad[:5])


def assert_nothing_half_written(folder: Path):
    temp = [p for p in folder.rglob(".*") if p.is_file() and "tmp" in p.name]
    assert not temp, f"temp files left: {temp[:5]}"
    from gendsl import read_metadata
    for png in folder.rglob("*.png"):
        if png.is_file() and png.stat().st_size < 10_000_000 and "out" in png.parts:
            read_metadata(png)  # a complete file, metadata included


def test_hostile_sketches_are_refused_with_a_message(tmp_path):
    results = drive(fc.sketch_cases(tmp_path, fc.HOSTILE_SKETCHES), tmp_path)
    assert_refused(results)
    messages = {r["name"]: r["stderr"] for r in results}
    assert 'unknown escape "\\N"' in messages["escape N"]
    assert "at most 16 characters" in messages["long seed"]
    assert "U+200B (zero width space)" in messages["zero width space"]
    assert "nest" in messages["deep braces"] and "nest" in messages["let chain 1200"]
    assert "can expand to more than" in messages["doubling lets"]
    assert "blend weight" in messages["overflowing blend"] or "too large" in messages["overflowing blend"]


def test_truncations_and_edits_of_the_shipped_sketches(tmp_path):
    results = drive(fc.sketch_cases(tmp_path, fc.mutations(150, seed=13)), tmp_path)
    assert_refused(results, allowed=(0, 2))
    assert {r["code"] for r in results} == {0, 2}  # the mutations reach both sides


def test_hostile_files_and_folders(tmp_path):
    results = drive(fc.file_cases(tmp_path), tmp_path)
    assert_refused(results)
    messages = {r["name"]: r["stderr"] for r in results}
    assert "is a folder" in messages["sketch path 'a folder.sketch'"]
    assert "loop of symbolic links" in messages["sketch path 'loop.sketch'"]
    assert "not a regular file" in messages["sketch path 'fifo.sketch'"]
    assert "larger than" in messages["sketch path 'huge.sketch'"]
    assert "not UTF-8" in messages["wildcard latin1"] and "is a folder" in messages["wildcard folder"]
    assert "not a regular file" in messages["wildcard fifo"] and "loop" in messages["wildcard loop"]


def test_hostile_png_metadata_restores_nothing(tmp_path):
    results = drive(fc.restore_cases(tmp_path), tmp_path)
    assert_refused(results)
    messages = {r["name"]: r["stderr"] for r in results}
    assert "upscaling goes from 1 to 8" in messages["restore upscale=250"]
    assert "out of range" in messages["restore seed=1099511627776"]
    assert "400000000 pixels" in messages["restore a 20000x20000 png"]
    assert not list((tmp_path / "out").glob("*.png")) if (tmp_path / "out").exists() else True
    assert_nothing_half_written(tmp_path)


def test_hostile_model_folders_load_nothing(tmp_path):
    results = drive(fc.model_cases(tmp_path), tmp_path)
    assert_refused(results)
    messages = {r["name"]: r["stderr"] for r in results}
    assert '"width" goes from 1 to 512, not 100000' in messages["model width huge"]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.png"))


def test_hostile_options_write_nothing(tmp_path):
    results = drive(fc.option_cases(tmp_path), tmp_path)
    assert_refused(results)
    messages = {r["name"]: r["stderr"] for r in results}
    assert "needs a variation seed" in messages["strength without a variation seed"]
    assert '--grid "nosuch by seed"' in messages["grid nosuch"]
    assert messages["grid strength 2"].startswith("--grid:1:")
    assert "a folder has that name" in messages["output name is a folder"]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.png"))


def test_a_full_disk_is_a_message_and_leaves_no_temp_files(tmp_path):
    """RLIMIT_FSIZE makes every write past 2 kB fail as a full disk does (an OSError from write)."""
    sketch = tmp_path / "world.sketch"
    sketch.write_text(fc.WORLD.replace("variations 2", "variations 40") + "grid \"cars\" rows 4\n")
    real = fc.world_png(tmp_path)

    def small_disk():
        limited()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000, 2_000))

    cases = [{"name": "render", "argv": ["render", str(sketch), "--out", str(tmp_path / "out"), "--quiet",
                                         "--upscale", "8", "--sidecar"]},
             {"name": "restore", "argv": ["restore", str(real), "--out", str(tmp_path / "again")]}]
    cases[1]["argv"][1] = str(fc.png_with_text(tmp_path / "big.png", 32, 32, json.dumps(
        {**__import__("gendsl").read_metadata(real), "upscale": 8})))
    results = drive(cases, tmp_path / "run", preexec=small_disk)
    assert_refused(results)
    assert all("cannot write" in r["stderr"] for r in results)
    assert_nothing_half_written(tmp_path)


def test_stale_temp_files_of_a_killed_run_are_cleaned(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".gendsl-tmp-{dead.pid}-cars-0001.png.abc123.tmp"
    stale.write_bytes(b"")
    mine = out / f".gendsl-tmp-{os.getpid()}-cars-0002.png.abc123.tmp"  # a live process's: left alone
    mine.write_bytes(b"")
    sketch = tmp_path / "world.sketch"
    sketch.write_text(fc.WORLD)
    results = drive([{"name": "render", "argv": ["render", str(sketch), "--out", str(out), "--quiet"]}], tmp_path)
    assert results[0]["code"] == 0, results[0]["stderr"]
    assert not stale.exists() and mine.exists()


@pytest.mark.soak
def test_soak_many_mutations(tmp_path):
    for seed in range(8):
        results = drive(fc.sketch_cases(tmp_path / str(seed), fc.mutations(500, seed=1000 + seed)), tmp_path,
                        timeout=1200)
        assert_refused(results, allowed=(0, 2))
