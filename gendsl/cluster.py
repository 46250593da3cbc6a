"""Rendering sketches and building datasets on a Ray cluster (`--cluster ray`, the `cluster` extra).

    gendsl render 'sketches/*.sketch' --out batch/ --cluster ray             # a local Ray (or RAY_ADDRESS)
    gendsl render 'sketches/*.sketch' --out batch/ --cluster ray://HOST:PORT # an existing cluster
    gendsl data world --n 50000 --size 64 --out data/world64 --cluster ray

Render: one task per sketch, on a pool of actors (one per CPU the cluster offers, at most one per
sketch), each running the local `gendsl render` for its sketch into a scratch folder and sending back
the files' bytes; each actor keeps the models it loaded for the next sketch. The driver writes nothing
until every sketch has planned (a typo in one writes nothing, as locally), then writes the files
atomically where a local render puts them: the same code made them, so they are the same bytes.
Workers read the sketches (and their wildcards) at the driver's paths: a local cluster, or nodes
sharing the folder. Data: worlds.scene.dataset's draws go out in chunks of CHUNK as Ray tasks, and the driver
writes them in order, so the dataset is the same bytes as with --workers.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
from collections import deque
from contextlib import redirect_stderr, redirect_stdout
from itertools import islice
from pathlib import Path

from .io import atomic_write_bytes
from .lang.errors import GendslError

CHUNK = 256  # dataset draws per Ray task
INSTALL = "pip install 'gendsl[cluster]' (or: pip install 'ray[default]')"


def ray_module():
    try:
        import ray
    except ImportError:
        raise GendslError(f"--cluster ray needs Ray, an optional extra: {INSTALL}") from None
    return ray


def connect(spec: str):
    """Ray, connected: `ray` joins RAY_ADDRESS when it is set and starts a local Ray otherwise;
    `ray://HOST:PORT` joins that cluster."""
    if spec != "ray" and not spec.startswith("ray://"):
        raise GendslError(f'--cluster takes "ray" or "ray://HOST:PORT", not "{spec}"')
    ray = ray_module()
    if not ray.is_initialized():
        address = spec if spec.startswith("ray://") else os.environ.get("RAY_ADDRESS") or None
        options = {} if address else {"num_cpus": int(os.environ.get("GENDSL_RAY_CPUS", os.cpu_count() or 1))}
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False,
                     **options)
        except (ConnectionError, ValueError, RuntimeError) as error:
            raise GendslError(f"cannot reach the Ray cluster at {address or 'a new local one'}: {error}") from None
    return ray


def run_command(args, local) -> int:
    """`gendsl render|data ... --cluster SPEC`: `local` is the command's own handler, run on the workers."""
    if args.command == "render":
        return render(args, local)
    if args.command == "data":
        return build_data(args)
    raise GendslError(f"--cluster is for render and data, not {args.command}")


class _Renderer:
    """A Ray actor: renders one sketch at a time with the local command, keeping every model it loads."""

    def __init__(self, cwd: str):
        from functools import lru_cache

        from .render import sketch

        if Path(cwd).is_dir():
            os.chdir(cwd)  # the sketches' relative paths, as the driver sees them
        sketch.load = lru_cache(maxsize=8)(sketch.load)  # in this worker process only: load each model once

    def render(self, local, options: dict, path: str):
        import tempfile

        with tempfile.TemporaryDirectory() as scratch:
            args = argparse.Namespace(**{**options, "sketches": [path], "out": scratch, "quiet": True})
            out, err = io.StringIO(), io.StringIO()
            try:
                with redirect_stdout(out), redirect_stderr(err):
                    code = local(args)
            except GendslError as error:
                return {"error": str(error)}
            files = {str(p.relative_to(scratch)): p.read_bytes() for p in sorted(Path(scratch).rglob("*"))
                     if p.is_file()}
            return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue(), "files": files}


def render(args, local) -> int:
    import glob

    from tqdm import tqdm

    ray = connect(args.cluster)
    paths = []
    for pattern in args.sketches:
        matches = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
        if not matches:
            raise GendslError(f"no sketch files match {pattern}")
        paths += matches
    options = {k: v for k, v in vars(args).items() if k not in ("func", "cluster", "known_kinds")}
    workers = max(1, min(len(paths), int(ray.available_resources().get("CPU", 1))))
    actors = [ray.remote(num_cpus=1)(_Renderer).remote(os.getcwd()) for _ in range(workers)]
    pool = ray.util.ActorPool(actors)
    results = {}
    with tqdm(total=len(paths), desc="rendering on Ray", unit="sketch", disable=args.quiet) as bar:
        for path, result in zip(paths, pool.map(lambda actor, p: actor.render.remote(local, options, p), paths)):
            results[path] = result
            bar.update(1)
    errors = [(path, r["error"]) for path, r in results.items() if "error" in r]
    if errors:  # as locally: a sketch that does not plan stops the batch before anything is written
        raise GendslError("\n".join(f"{path}: {error}" if len(paths) > 1 else error for path, error in errors))
    root, files = Path(args.out), 0
    for path, result in results.items():
        folder = root / Path(path).stem if len(paths) > 1 else root
        for name, data in result["files"].items():
            atomic_write_bytes(folder / name, data)
            files += 1
        sys.stderr.write("".join(f"{path}: {line}\n" if len(paths) > 1 else f"{line}\n"
                                 for line in result["stderr"].splitlines()))
    if not args.quiet:
        print(f"{len(paths)} sketch{'es' if len(paths) != 1 else ''} rendered on Ray: {files} files in {root}")
    return max(r["code"] for r in results.values())


def _draw_chunk(jobs: list) -> list:
    from .worlds.scene.dataset import _draw

    return [_draw(job) for job in jobs]


def ray_mapper(ray, window: int = 8):
    """map(fn, jobs) over Ray tasks of CHUNK jobs, results in order, at most `window` chunks in flight."""
    task = ray.remote(_draw_chunk)

    def mapper(jobs):
        jobs, pending = iter(jobs), deque()
        while True:
            while len(pending) < window:
                chunk = list(islice(jobs, CHUNK))
                if not chunk:
                    break
                pending.append(task.remote(chunk))
            if not pending:
                return
            yield from ray.get(pending.popleft())
    return mapper


def build_data(args) -> int:
    from . import limits
    from .worlds.scene.dataset import build_dataset

    if args.source != "world":
        raise GendslError(f'unknown data source "{args.source}"; known: world')
    if args.size not in limits.SIZES:
        raise GendslError(f"size must be one of {', '.join(map(str, limits.SIZES))}, not {args.size}")
    ray = connect(args.cluster)
    manifest = build_dataset(args.out, n=args.n, size=args.size, seed=args.seed, test_fraction=args.test_fraction,
                             progress=not args.quiet, overwrite=args.overwrite, mapper=ray_mapper(ray))
    counts = ", ".join(f"{split} {count}" for split, count in manifest["n"].items())
    print(f"{args.out}: {counts} images at {args.size} px (on Ray)")
    return 0
