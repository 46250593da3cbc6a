"""One evaluation of a digits-world model (the conditional RBM): judged accuracy beside the world's own.

    report = evaluate_digits(gendsl.load("rbm"), n_scenes=40, seeds=2, out_dir="eval/rbm")

writes out_dir/report.json, report.md and samples.png. n_scenes seen and
n_scenes held-out scenes (world.digits.HELD_OUT_*); under each noise seed
every scene is drawn once by the model and once by the world (test glyphs,
the same image seed), and the digits judge reads both back. Accuracies are
the mean over noise seeds with the standard deviation over seeds beside them;
the world's column is the ceiling (what the judge gets right on true renders).
"""
from __future__ import annotations

import inspect
import time
from typing import Sequence

import numpy as np

from ..lang.digits import DigitScene, encode
from ..lang.errors import GendslError
from ..lang.seeds import stream
from . import report as world_report
from .digits_judge import ATTRIBUTES, INPUT, DigitsJudge, attribute_accuracy
from .metrics import image_seeds

SHEET_ROWS = 4  # scenes per kind (seen, held-out) on the contact sheet
BATCH = 64


def eval_scenes(n: int, held_out: bool, seed: int = 0) -> list[DigitScene]:
    from ..world.digits import sample_scene
    kind = "heldout" if held_out else "seen"
    return [sample_scene(stream(seed, "digits-eval", kind, str(i)), held_out=held_out) for i in range(n)]


def _generate(model, scenes, seeds, steps: int | None) -> np.ndarray:
    cond = np.stack([encode(s) for s in scenes])
    options = {"steps": steps} if steps and "steps" in inspect.signature(model.generate).parameters else {}
    parts = [np.asarray(model.generate(cond[i:i + BATCH], list(seeds[i:i + BATCH]), **options), np.uint8)
             for i in range(0, len(scenes), BATCH)]
    return np.concatenate(parts)


def _world(scenes, seeds) -> np.ndarray:
    from ..world.digits import render, to_rgb
    return to_rgb(np.stack([render(s, k, glyph_split="test") for s, k in zip(scenes, seeds)]))


def _groups(scenes, held: np.ndarray) -> dict[str, np.ndarray]:
    two = np.array([len(s.digits) == 2 for s in scenes])
    return {"seen": ~held, "heldout": held, "seen/one": ~held & ~two, "seen/two": ~held & two,
            "heldout/one": held & ~two, "heldout/two": held & two, "all": np.ones(len(scenes), bool)}


def _mean_std(per_seed: list[dict]) -> dict:
    out = {}
    for name in ATTRIBUTES:
        values = [d[name]["accuracy"] for d in per_seed if d[name]["accuracy"] is not None]
        out[name] = {"mean": float(np.mean(values)) if values else None,
                     "std": float(np.std(values)) if values else None, "n": int(sum(d[name]["n"] for d in per_seed))}
    return out


def evaluate_digits(model, judge: DigitsJudge | None = None, n_scenes: int = 200, seeds: int | Sequence[int] = 2,
                    out_dir=None, *, steps: int | None = None, scene_seed: int = 0, progress: bool = True) -> dict:
    """Judge a model driven by digits scenes on seen and held-out scenes; write the report to out_dir."""
    from tqdm import tqdm

    noise = world_report._noise_seeds(seeds)
    if n_scenes < 2:
        raise GendslError(f"an evaluation needs at least 2 scenes of each kind, not {n_scenes}")
    if model.size % INPUT:
        raise GendslError(f"the digits judge reads images whose side is a multiple of {INPUT}; "
                          f"{model.name} draws {model.size}")
    judge = judge or DigitsJudge.load()
    started = time.time()
    scenes = eval_scenes(n_scenes, False, scene_seed) + eval_scenes(n_scenes, True, scene_seed)
    held = np.arange(len(scenes)) >= n_scenes
    groups = _groups(scenes, held)
    shown = min(SHEET_ROWS, n_scenes)
    rows = np.r_[0:shown, n_scenes:n_scenes + shown]
    per_seed = {"model": [], "world": []}
    sheet = {"model": [], "world": []}
    judged = []  # what the judge read in each sheet row's model image, per seed
    gen_time = 0.0
    for s in tqdm(noise, desc=f"eval {model.name}", unit="seed", disable=not progress):
        image_seed = image_seeds(s, len(scenes))
        t = time.time()
        images = {"model": _generate(model, scenes, image_seed, steps)}
        gen_time += time.time() - t
        images["world"] = _world(scenes, image_seed)
        for who, x in images.items():
            preds = judge.scenes(x)
            per_seed[who].append({g: attribute_accuracy([preds[i] for i in np.flatnonzero(keep)],
                                                        [scenes[i] for i in np.flatnonzero(keep)])
                                  for g, keep in groups.items() if keep.any()})
            sheet[who].append(x[rows])
            if who == "model":
                judged.append([str(preds[i]) for i in rows])

    names = list(per_seed["model"][0])
    report = {
        "model": {"name": model.name, "ref": getattr(model, "ref", model.name), "size": model.size,
                  "fingerprint": model.fingerprint(), "steps": steps},
        "judge": {"kind": "judge-digits", "fingerprint": judge.fingerprint(), "input_size": INPUT},
        "scene_seed": scene_seed, "noise_seeds": noise,
        "scenes": {g: int(keep.sum()) for g, keep in groups.items()},
        "accuracy": {g: _mean_std([d[g] for d in per_seed["model"]]) for g in names},
        "world_accuracy": {g: _mean_std([d[g] for d in per_seed["world"]]) for g in names},
        "images": len(scenes) * len(noise),
        "generate_images_per_s": round(len(scenes) * len(noise) / max(gen_time, 1e-9), 2),
        "wall_s": None, "samples": "samples.png",
        "sheet_scenes": [str(scenes[i]) for i in rows],
        "sheet_judged": [list(r) for r in zip(*judged)],
    }
    report["wall_s"] = round(time.time() - started, 1)
    if out_dir is not None:
        write(report, out_dir, world_report._sheet(sheet))
    return report


def _cell(figure: dict) -> str:
    return "—" if figure["mean"] is None else f"{100 * figure['mean']:.1f} ± {100 * figure['std']:.1f}"


def format_table(report: dict) -> str:
    lines = ["| scenes | drawn by | " + " | ".join(ATTRIBUTES) + " |", "|" + "---|" * (len(ATTRIBUTES) + 2)]
    for group in report["accuracy"]:
        for who, key in ((report["model"]["name"], "accuracy"), ("world renders", "world_accuracy")):
            lines.append(f"| {group} ({report['scenes'][group]}) | {who} | "
                         + " | ".join(_cell(report[key][group][a]) for a in ATTRIBUTES) + " |")
    steps = report["model"]["steps"]
    lines += ["", f"{report['images']} images per drawer ({len(report['noise_seeds'])} noise seeds); "
              f"{'Gibbs sweeps: ' + str(steps) + '; ' if steps else ''}"
              f"model {report['model']['fingerprint']}, judge {report['judge']['fingerprint']}"]
    return "\n".join(lines)


def write(report: dict, out_dir, sheet: np.ndarray | None = None):
    """report.json, report.md and (given a sheet) samples.png in out_dir, each written atomically."""
    from .report import write_files

    md = [f"# Evaluation of {report['model']['ref']} on the digits world", "",
          "Accuracy in %, mean ± std over noise seeds, read back by the digits judge (gendsl/weights/judge-digits). "
          "The world's renders of the same scenes at the same seeds (test glyphs) are the ceiling. digit2 and "
          "relation count two-digit scenes, position one-digit scenes; all: the whole scene right.", "",
          format_table(report), "", "## Contact sheet", "", f"![samples]({report['samples']})", "",
          "Rows (first column: the world's drawing; then the model at each noise seed), and what the judge read "
          "in the model's images:", ""]
    md += [f"{i + 1}. {text} — judged: {' | '.join(report['sheet_judged'][i])}"
           for i, text in enumerate(report["sheet_scenes"])]
    return write_files(report, out_dir, md, sheet)
