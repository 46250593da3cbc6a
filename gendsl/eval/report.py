"""One evaluation of a model: its figures beside the world's, as JSON, a table, and a contact sheet.

    report = evaluate(gendsl.load("cgan-world-64"), Judge.load(), n_scenes=200, seeds=2, out_dir="runs/eval")
    print(format_table(report))

writes out_dir/report.json, out_dir/report.md and out_dir/samples.png (rows: scenes; first column the
world's drawing, then the model's at each noise seed). Every figure is computed the same way for the
world itself, drawn at the same scenes and image seeds: that column is the ceiling.

n_scenes seen and n_scenes held-out scenes, each half one-object and half two-object; every accuracy
is the mean over the noise seeds, with the standard deviation over seeds beside it.
"""
from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image

from ..io import atomic_write_bytes, atomic_write_text
from ..lang.errors import GendslError
from ..world.render import SIZES as WORLD_SIZES
from .judge import INPUT, Judge
from .box_report import box_figures, box_verdicts, format_boxes
from .variety import diversity_report, format_diversity
from .metrics import diversity, eval_scenes, frechet_distance, generate, image_seeds, mean_std
from .score import ATTRIBUTES, accuracy, counts, match

GROUPS = (("seen", 1), ("seen", 2), ("seen", 3), ("heldout", 1), ("heldout", 2), ("heldout", 3))
ITEM_WORDS = {1: "one", 2: "two", 3: "three"}
SHEET_ROWS = 3  # scenes per group on the contact sheet
SHEET_TILE = 64  # contact-sheet tiles are upscaled (nearest) to at least this many pixels


def _noise_seeds(seeds) -> list[int]:
    seeds = list(range(seeds)) if isinstance(seeds, (int, np.integer)) else [int(s) for s in seeds]
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise GendslError(f"an evaluation needs at least 2 distinct noise seeds, not {seeds}")
    return seeds


def evaluate(model, judge: Judge | None = None, n_scenes: int = 200, seeds: int | Sequence[int] = 2,
             out_dir=None, *, scene_seed: int = 0, progress: bool = True, diversity_scenes: int = 50,
             boxes=None) -> dict:
    """Judge `model` on seen and held-out scenes, and measure its diversity (diversity.py; 0 scenes: skip it);
    write the report files to out_dir (when given)."""
    from tqdm import tqdm

    from ..models.world import WorldModel
    from .judge import load_default

    judge = judge or load_default()
    boxes = _box_judge(boxes)
    noise = _noise_seeds(seeds)
    if n_scenes < 2:
        raise GendslError(f"an evaluation needs at least 2 scenes of each kind, not {n_scenes}")
    if model.size % INPUT:
        raise GendslError(f"the judge reads images whose side is a multiple of {INPUT}; "
                          f"{model.name} draws {model.size}")
    started = time.time()
    scenes, group_of = [], []
    for g, (kind, items) in enumerate(GROUPS):
        n = n_scenes - n_scenes // 2 if items == 2 else n_scenes // 2
        scenes += eval_scenes(n, held_out=kind == "heldout", items=items, seed=scene_seed)
        group_of += [g] * n
    group_of = np.array(group_of)
    world = WorldModel(size=model.size if model.size in WORLD_SIZES else INPUT)

    feats = {"model": [], "world": [], "reference": []}
    per_seed = {"model": [], "world": []}  # per noise seed: {group name: accuracy dict}
    box_seed = {"model": [], "world": []}  # per noise seed: {group name: box judge figures}
    names = [_name(*g) for g in GROUPS]
    sheet: dict[str, list[np.ndarray]] = {"model": [], "world": []}
    gen_time = 0.0
    for s in tqdm(noise, desc=f"eval {model.name}", unit="seed", disable=not progress):
        seeds_m, seeds_r = image_seeds(s, len(scenes)), image_seeds(s, len(scenes), "reference")
        t = time.time()
        images = {"model": generate(model, scenes, seeds_m)}
        gen_time += time.time() - t
        images["world"] = generate(world, scenes, seeds_m)
        images["reference"] = generate(world, scenes, seeds_r)
        for who, x in images.items():
            pred, f = judge.predict_and_features(x)
            feats[who].append(f)
            if who in per_seed:
                per_seed[who].append(_group_accuracy(pred, scenes, group_of))
                if boxes is not None:
                    box_seed[who].append(box_verdicts(boxes, match(pred, scenes), x, scenes, seeds_m, group_of, names))
                sheet[who].append(x[_sheet_rows(group_of)])

    all_feats = {who: np.concatenate(f) for who, f in feats.items()}
    div = {who: diversity(np.stack(feats[who], axis=1)) for who in ("model", "world")}
    report = {
        "model": {"name": model.name, "size": model.size, "fingerprint": model.fingerprint()},
        "judge": {"fingerprint": judge.fingerprint(), "input_size": INPUT},
        "box_judge": boxes.fingerprint() if boxes is not None else None,
        "boxes": box_figures(box_seed["model"]) if boxes is not None else None,
        "world_boxes": box_figures(box_seed["world"]) if boxes is not None else None,
        "scene_seed": scene_seed, "noise_seeds": noise,
        "scenes": {_name(*g): int((group_of == k).sum()) for k, g in enumerate(GROUPS)},
        "accuracy": {name: mean_std([d[name] for d in per_seed["model"]]) for name in per_seed["model"][0]},
        "world_accuracy": {name: mean_std([d[name] for d in per_seed["world"]]) for name in per_seed["world"][0]},
        "fid": {"model": frechet_distance(all_feats["model"], all_feats["reference"]),
                "world": frechet_distance(all_feats["world"], all_feats["reference"])},
        # Spread in the judge's feature space: the judge is trained to ignore how things look, so this is
        # no measure of variety a person sees (it called eight copies of one bus 98% of the world's); see "ssim".
        "judge_feature_spread": {"model": div["model"], "world": div["world"]},
        "ssim": diversity_report(model, diversity_scenes, 8, scene_seed) if diversity_scenes else None,
        "images": len(scenes) * len(noise),
        "generate_images_per_s": round(len(scenes) * len(noise) / max(gen_time, 1e-9), 1),
        "wall_s": None,
        "samples": "samples.png",
        "sheet_scenes": [str(scenes[i]) for i in _sheet_rows(group_of)],
    }
    report["wall_s"] = round(time.time() - started, 1)
    if out_dir is not None:
        write(report, out_dir, _sheet(sheet))
    return report


def _box_judge(boxes):
    """The box judge to use: the one given, else the shipped one, else none (the report says so)."""
    if boxes is not None:
        return boxes
    from .box_judge import DEFAULT, BoxJudge
    return BoxJudge.load(DEFAULT) if (DEFAULT / "config.json").is_file() else None


def _name(kind: str, items: int) -> str:
    return f"{kind}/{ITEM_WORDS[items]}"


def _group_accuracy(pred, scenes, group_of: np.ndarray) -> dict:
    """{group name: {"accuracy", "n"}} for each group, each kind (seen, heldout) and everything."""
    j = match(pred, scenes)
    subsets = {_name(*g): group_of == k for k, g in enumerate(GROUPS)}
    for kind in ("seen", "heldout"):
        subsets[kind] = np.isin(group_of, [k for k, g in enumerate(GROUPS) if g[0] == kind])
    subsets["all"] = np.ones(len(scenes), bool)
    out = {}
    for name, keep in subsets.items():
        sub = j.subset(keep)
        out[name] = {"accuracy": accuracy(sub), "n": counts(sub)}
    return out


def _sheet_rows(group_of: np.ndarray) -> np.ndarray:
    return np.concatenate([np.flatnonzero(group_of == k)[:SHEET_ROWS] for k in range(len(GROUPS))])


def _sheet(sheet: dict[str, list[np.ndarray]]) -> np.ndarray:
    """Rows of scenes: the world's image at the first seed, then the model's at every seed."""
    from ..sheets import contact_sheet

    world, model = sheet["world"][0], sheet["model"]
    tiles = [img for r in range(len(world)) for img in (world[r], *(m[r] for m in model))]
    f = max(1, -(-SHEET_TILE // tiles[0].shape[0]))
    tiles = [np.repeat(np.repeat(t, f, 0), f, 1) for t in tiles]
    return contact_sheet(tiles, rows=len(world), cols=1 + len(model))


def write(report: dict, out_dir, sheet: np.ndarray | None = None) -> Path:
    """report.json, report.md and (given a sheet) samples.png in out_dir, each written atomically."""
    md = [f"# Evaluation of {report['model']['name']} ({report['model']['size']} px)", "",
          "Accuracy in %, mean ± std over noise seeds; the world's own figures (same scenes, same seeds) are "
          "the ceiling. Only attributes a scene specifies count; 'empty': empty slots judged empty; "
          "'all': every specified attribute right and no extra object.", "", format_table(report), "",
          "## Contact sheet", "", f"![samples]({report['samples']})", "",
          "Rows, top to bottom (first column: the world's drawing; then the model at each noise seed):", ""]
    md += [f"{i + 1}. {text}" for i, text in enumerate(report["sheet_scenes"])]
    return write_files(report, out_dir, md, sheet)


def write_files(report: dict, out_dir, markdown: list[str], sheet: np.ndarray | None = None) -> Path:
    """report.json, report.md (from its lines) and samples.png (given a sheet), each written atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "report.json", json.dumps(report, indent=2) + "\n")
    atomic_write_text(out / "report.md", "\n".join(markdown) + "\n")
    if sheet is not None:
        buffer = io.BytesIO()
        Image.fromarray(sheet).save(buffer, format="PNG")
        atomic_write_bytes(out / report["samples"], buffer.getvalue())
    return out


def _cell(figure: dict) -> str:
    if figure["mean"] is None:
        return "—"
    return f"{100 * figure['mean']:.1f} ± {100 * figure['std']:.1f}"


def format_table(report: dict) -> str:
    """The report as a Markdown table (readable as plain text too)."""
    head = "| scenes | drawn by | " + " | ".join(ATTRIBUTES) + " |"
    lines = [head, "|" + "---|" * (len(ATTRIBUTES) + 2)]
    for group in report["accuracy"]:
        for who, key in ((report["model"]["name"], "accuracy"), ("world renders", "world_accuracy")):
            figures = report[key][group]
            lines.append(f"| {group} | {who} | " + " | ".join(_cell(figures[a]) for a in ATTRIBUTES) + " |")
    fid = report["fid"]
    lines += ["",
              f"Fréchet judge distance to world renders (other seeds): {report['model']['name']} {fid['model']:.2f}, "
              f"world {fid['world']:.2f} (real vs real)",
              f"{report['images']} images per drawer ({sum(report['scenes'].values())} scenes x "
              f"{len(report['noise_seeds'])} noise seeds); judge {report['judge']['fingerprint']}"]
    if report.get("boxes"):
        lines += [""] + format_boxes(report)
    if report.get("ssim"):
        lines += [""] + format_diversity(report["ssim"], report["model"]["name"])
    return "\n".join(lines)
