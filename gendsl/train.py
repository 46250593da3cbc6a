"""The one training driver: batches, checkpoints, resume, progress, logs, sample grids.

Models bring their own `train_step(batch) -> dict` and list their
`state_variables()`; the driver owns everything around them. Judges train here too
(eval/place_fit.py): anything with a train_step, its variables, a config and a save. Each step's data
and noise are pure functions of (seed, step): the data order of epoch e is a
permutation drawn from its own stream, and the step's noise seed is
(seed, step). So `resume` restores the variables of the last checkpoint and
continues bit for bit as if never stopped. Checkpoints are written atomically;
a killed run loses at most the steps since the last one; Ctrl-C writes one and
stops cleanly.
"""
from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .hardware import hardware
from .io import atomic_write_bytes, atomic_write_text
from .lang.errors import GendslError
from .lang.seeds import stream
from .render import contact_sheet, png_bytes

CHECKPOINT = "checkpoint.npz"
LOG = "log.csv"


@dataclass(frozen=True)
class TrainConfig:
    steps: int
    batch_size: int = 64
    seed: int = 0
    checkpoint_every: int = 250
    sample_every: int = 500
    log_every: int = 10


class WorldTrainData:
    """Batches from a dataset folder written by `gendsl data world` (its train split)."""

    def __init__(self, data_dir, size: int, conditioning: str, split: str = "train", world=None):
        from . import worlds
        from .worlds.scene.dataset import load_split

        data_dir = Path(data_dir)
        if not (data_dir / "manifest.json").is_file():
            raise GendslError(f"{data_dir} is not a dataset folder (no manifest.json); "
                              f"build one with: gendsl data world --size {size} --out {data_dir}")
        self.images, self.cond, records = load_split(data_dir, split)
        if self.images.shape[1] != size:
            raise GendslError(f"{data_dir} holds {self.images.shape[1]}-px images; the model draws {size} px")
        self.seeds = np.array([r["seed"] for r in records], np.int64)
        self.size, self.conditioning, self.world = size, conditioning, world or worlds.default()

    def __len__(self) -> int:
        return len(self.images)

    def batch(self, indices: np.ndarray) -> dict:
        indices = np.sort(indices)  # memmap reads in file order; the set, not its order, makes the batch
        cond = self.cond[indices]
        return {"image": self.images[indices].astype(np.float32) / 127.5 - 1.0, "cond": cond,
                "cond_input": self.world.condition(cond, self.seeds[indices], self.size, self.conditioning)}

    def pipeline(self, progress: bool = True):
        """The tf.data pipeline of these batches (train_pipeline.py): the same batches, made ahead; None for
        a world whose layout maps are painted in Python only (its batches are made in Python)."""
        from .train_pipeline import Pipeline

        if self.conditioning != "flat" and not self.world.maps_in_graph:
            return None
        return Pipeline(self, progress)

    def preview(self, n: int = 16) -> tuple[np.ndarray, list[int]]:
        """Fixed conditions and seeds for the sample grids: the first n scenes."""
        return self.cond[:n], [int(s) for s in self.seeds[:n]]


class RenderedTrainData(WorldTrainData):
    """Batches from n pictures a world renders in memory (`--data NAME`, a built-in world): its training_set."""

    def __init__(self, world, n: int, size: int, conditioning: str, seed: int = 0, split: str = "train"):
        data = world.training_set(n, size, seed, split)
        if data is None:
            raise GendslError(f"the {world.name} world draws no pictures; train on a folder of its images")
        self.images, self.cond, self.seeds = data["images"], data["cond"], data["seeds"]
        self.size, self.conditioning, self.world = size, conditioning, world


def batch_indices(n: int, batch_size: int, step: int, seed: int) -> np.ndarray:
    """The examples of a step: consecutive slices of per-epoch permutations, wrapping across epochs."""
    start = step * batch_size
    out = []
    while len(out) < batch_size:
        epoch, offset = divmod(start + len(out), n)
        order = stream(seed, "order", str(epoch)).permutation(n)
        out.extend(order[offset:offset + batch_size - len(out)])
    return np.asarray(out)


def step_seed(seed: int, step: int) -> np.ndarray:
    return np.array([seed % 2**31, step % 2**31], np.int32)


def save_checkpoint(model, out: Path, step: int) -> None:
    arrays = {f"v{i}": np.asarray(v) for i, v in enumerate(model.state_variables())}
    buffer = io.BytesIO()
    np.savez(buffer, step=np.int64(step), **arrays)
    atomic_write_bytes(out / CHECKPOINT, buffer.getvalue())


def load_checkpoint(model, out: Path) -> int:
    path = out / CHECKPOINT
    if not path.is_file():
        raise GendslError(f"nothing to resume: {path} does not exist")
    with np.load(path) as saved:
        variables = model.state_variables()
        if len(saved.files) - 1 != len(variables):
            raise GendslError(f"{path} was written by a different model configuration")
        for i, variable in enumerate(variables):
            value = saved[f"v{i}"]
            if tuple(value.shape) != tuple(variable.shape):
                raise GendslError(f"{path} does not match this model ({variable.path}: {value.shape})")
            variable.assign(value)
        return int(saved["step"])


class _Log:
    """log.csv: one row per `log_every` steps; on resume, rows past the checkpoint are dropped."""

    def __init__(self, path: Path, resume_step: int | None):
        self.path = path
        self.rows: list[dict] = []
        if resume_step is not None and path.is_file():
            with path.open() as f:
                self.rows = [r for r in csv.DictReader(f) if int(r["step"]) <= resume_step]

    def add(self, row: dict) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(self.rows[-1]))
        writer.writeheader()
        writer.writerows(self.rows)
        atomic_write_text(self.path, buffer.getvalue())


def train(model, data, out_dir, config: TrainConfig, resume: bool = False, progress: bool = True,
          command: str = "", strategy=None, xla: bool = False) -> dict:
    """Train `model` on `data` for config.steps steps into out_dir; returns a summary.

    `strategy`: a tf.distribute strategy the model was built under (distribute.strategy_for), or None
    for one device; `xla`: XLA compiles what it can of the step (distribute.set_xla)."""
    import tensorflow as tf

    out = Path(out_dir)
    if not resume and (out / CHECKPOINT).exists():
        raise GendslError(f"{out} already holds a training run; pass --resume to continue it, or choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    tf.config.experimental.enable_op_determinism()
    # Grappler's remapper fuses conv + bias + activation, and on these training graphs it fails part-way
    # ("Mutation::Apply error ... missing node .../BiasAdd") on some traces and not others: a resumed run then
    # differed from a straight one by about 1e-6 now and then. Without it every trace computes alike.
    tf.config.optimizer.set_experimental_options({"remapping": False})
    step = load_checkpoint(model, out) if resume else 0
    log = _Log(out / LOG, step if resume else None)
    earlier = json.loads((out / "run.json").read_text()).get("seconds_total", 0) if resume and \
        (out / "run.json").is_file() else 0
    run = {"command": command, "train": asdict(config), "model": asdict(model.config), "kind": model.kind,
           "examples": len(data), "hardware": hardware()}
    run = {**run, **({"replicas": strategy.num_replicas_in_sync} if strategy else {}),
           **({"xla": True} if xla else {}), **_precision()}
    atomic_write_text(out / "run.json", json.dumps(run, indent=2))
    if xla:
        from .distribute import set_xla
        set_xla(True)
    step_fn = step_function(model, config.batch_size, strategy)
    pipeline = data.pipeline(progress) if hasattr(data, "pipeline") else None
    batches = iter(pipeline.dataset(config.batch_size, config.seed, step, config.steps)) \
        if pipeline is not None else None  # tf.data, when the data has one; else batches in Python
    draws = callable(getattr(model, "generate", None))  # a judge trains here too, and draws no sample grids
    preview = data.preview() if draws else None
    bar = _bar(config.steps, step, progress)
    started, images, losses = time.perf_counter(), 0, {}
    try:
        while step < config.steps:
            if batches is not None:
                batch = next(batches)
            else:
                batch = data.batch(batch_indices(len(data), config.batch_size, step, config.seed))
                batch["seed"] = step_seed(config.seed, step)
            losses = {k: float(v) for k, v in step_fn(batch).items()}
            step += 1
            images += config.batch_size
            rate = images / max(time.perf_counter() - started, 1e-9)
            if step % config.log_every == 0 or step == config.steps:
                log.add({"step": step, **{k: f"{v:.5f}" for k, v in losses.items()}, "images_per_s": f"{rate:.1f}"})
                bar.set_postfix({**{k: f"{v:.3f}" for k, v in losses.items()}, "img/s": f"{rate:.0f}"}, refresh=False)
                for tracker in model.metrics:  # each row is the mean over its own steps, not since the start
                    tracker.reset_state()
            if step % config.checkpoint_every == 0 or step == config.steps:
                save_checkpoint(model, out, step)
                log.flush()
            if draws and (step % config.sample_every == 0 or step == config.steps):
                write_samples(model, preview, out / "samples" / f"step-{step:06d}.png")
            bar.update(1)
    except KeyboardInterrupt:  # keep everything up to this step: resumable, and usable as a model
        save_checkpoint(model, out, step)
        log.flush()
        bar.close()
        model.save(out, card=model_card({**run, "steps": step, "seconds_this_run": round(time.perf_counter() - started),
                                         "images_per_s": 0, "final_losses": losses}) + "\nInterrupted.\n")
        raise
    bar.close()
    seconds = time.perf_counter() - started
    summary = {**run, "steps": step, "seconds_this_run": round(seconds, 1), "seconds_total": round(earlier + seconds, 1),
               "images_per_s": round(images / max(seconds, 1e-9), 1), "final_losses": losses}
    atomic_write_text(out / "run.json", json.dumps(summary, indent=2))
    model.save(out, card=model_card(summary))
    return summary


def step_function(model, batch_size: int, strategy=None):
    """The compiled training step: model.train_step on the batch, or on N replicas each given its slice of
    the global batch (the model's step draws and averages as on one device: models/replicas.py)."""
    import tensorflow as tf

    if strategy is None:
        return tf.function(model.train_step)
    count = strategy.num_replicas_in_sync
    if batch_size % count:
        raise GendslError(f"the batch ({batch_size}) must split evenly over {count} replicas")
    rows = batch_size // count

    def replica_step(batch):
        index = tf.distribute.get_replica_context().replica_id_in_sync_group
        shard = {k: (v if k == "seed" else v[index * rows:(index + 1) * rows]) for k, v in batch.items()}
        return model.train_step(shard)

    def distributed(batch):
        out = strategy.run(replica_step, args=(batch,))
        return {k: strategy.reduce("MEAN", v, axis=None) for k, v in out.items()}
    return tf.function(distributed)


def _precision() -> dict:
    import keras

    policy = keras.mixed_precision.global_policy().name
    return {} if policy == "float32" else {"precision": policy}


def write_samples(model, preview, path: Path) -> None:
    cond, seeds = preview
    sheet = contact_sheet(list(model.generate(cond, seeds)), rows=int(np.sqrt(len(seeds))))
    atomic_write_bytes(path, png_bytes(sheet, {"seeds": seeds}))


def model_card(summary: dict) -> str:
    return "\n".join([
        f"# {summary['kind']}",
        "",
        "## How it was trained",
        f"- command: `{summary['command']}`" if summary["command"] else "- command: (called from Python)",
        f"- steps: {summary['steps']} at batch {summary['train']['batch_size']}, seed {summary['train']['seed']}",
        f"- training examples: {summary['examples']}",
        f"- time: {summary.get('seconds_total', summary['seconds_this_run'])} s in all (resumed runs added up), "
        f"{summary['images_per_s']} images/s in the last run",
        f"- hardware: {summary['hardware']}",
        f"- final losses: {json.dumps(summary['final_losses'])}",
        f"- config: `{json.dumps(summary['model'])}`",
        "",
        "## Evaluation",
        "Not evaluated yet: run `gendsl eval` on this folder.",
        "",
    ])


def _bar(total: int, initial: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="step", disable=not enabled, dynamic_ncols=True)


__all__ = ["TrainConfig", "WorldTrainData", "batch_indices", "train"]
