"""Drawing planned jobs with a model, and the metadata each image carries."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import worlds
from .._version import __version__
from ..lang.errors import GendslError
from ..lang.ir import Sketch
from .jobs import Job
from .noise import draw

BATCH = 64  # images per model call; a batch gives exactly what single seeds give


def drawing_world(model, jobs: Sequence[Job]) -> worlds.World:
    """The world the jobs' scenes are encoded in: the model's own; a scene its world cannot say is an error."""
    said = {(j.world or worlds.default()).name: j for j in jobs}
    world = getattr(model, "world", None) or (jobs[0].world if jobs and jobs[0].world else worlds.default())
    for name, job in said.items():
        if name != world.name:
            raise GendslError(f'model "{getattr(model, "ref", model.kind)}" draws the {world.name} world; '
                              f'"{job.text}" is a scene of the {name} world')
    return world


def draw_jobs(model, jobs: Sequence[Job], batch_size: int = BATCH) -> list[np.ndarray]:
    images: list[np.ndarray] = []
    world = drawing_world(model, jobs)
    for start in range(0, len(jobs), batch_size):
        batch = jobs[start:start + batch_size]
        images.extend(draw(model, world.encode_batch([j.scene for j in batch]), [j.seed for j in batch],
                           [j.variation_seed for j in batch], [j.strength if j.varied else 0.0 for j in batch]))
    return images


def model_fields(model) -> dict:
    """How an image names its model: as asked for (a name or a folder), its kind, and its exact weights."""
    return {"model": getattr(model, "ref", model.kind), "model_kind": model.kind,
            "model_fingerprint": model.fingerprint(), "size": model.size}


def job_metadata(job: Job, model: dict, sketch: Sketch | None = None, mode: str = "random",
                 upscale: int = 1, resample: str = "nearest") -> dict:
    """Everything needed to make the image again (`gendsl restore`)."""
    return {"gendsl_version": __version__, "kind": "image", "world": (job.world or worlds.default()).name,
            "sketch": sketch.source.text if sketch else None,
            "sketch_path": str(sketch.source.path) if sketch and sketch.source.path else None,
            "scene_name": job.scene_name, "scene_text": job.text, "scene": str(job.scene), "mode": mode,
            "seed": job.seed, "variation_seed": job.variation_seed if job.varied else None,
            "strength": job.strength if job.varied else 0.0,
            "upscale": upscale, "resample": resample, **model}
