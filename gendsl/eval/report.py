"""One evaluation for every world that has a judge: a model's figures beside the world's own, as JSON, a
table and a contact sheet.

    report = evaluate(gendsl.load("cgan-digits"), n_scenes=200, seeds=2, out_dir="eval/cgan-digits")
    print(format_table(report))

The model's world (model.world) says everything: its evaluation scenes, seen and held-out, in groups
(World.evaluation_scenes), its own pictures of them (World.reference: the ceiling), and its judges
(World.judges; any judge behind the protocol in protocol.py may be passed instead). Under each noise seed every
scene is drawn once by the model and once by the world at the same image seed, and every judge scores both.
Accuracies are the mean over noise seeds with the standard deviation beside them. A judge with a feature layer
(the scene world's) also gives the Fréchet distance to world renders at other seeds and the spread of its
features; a model that takes noise seeds also gets diversity as a person sees it (variety.py).

writes out_dir/report.json, out_dir/report.md and out_dir/samples.png (rows: scenes; first column the world's
drawing, then the model's at each noise seed).
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
from .judge import INPUT
from .metrics import diversity, frechet_distance, generate, image_seeds
from .protocol import judges_of, mean_std, tally
from .variety import diversity_report, format_diversity

SHEET_ROWS = 3  # scenes per group on the contact sheet
SHEET_TILE = 64  # contact-sheet tiles are upscaled (nearest) to at least this many pixels


def _noise_seeds(seeds) -> list[int]:
    seeds = list(range(seeds)) if isinstance(seeds, (int, np.integer)) else [int(s) for s in seeds]
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise GendslError(f"an evaluation needs at least 2 distinct noise seeds, not {seeds}")
    return seeds


def model_world(model):
    """The world whose scenes a model draws (asked of the model)."""
    world = getattr(model, "world", None)
    if world is None:
        raise GendslError(f"{model.kind} draws no world's scenes: there is nothing for a judge to check")
    return world


def evaluate(model, judges=None, n_scenes: int = 200, seeds: int | Sequence[int] = 2, out_dir=None, *,
             steps: int | None = None, scene_seed: int = 0, progress: bool = True, diversity_scenes: int = 50) -> dict:
    """Judge `model` on seen and held-out scenes of its world with `judges` (one, a list, or None: the world's
    own), and write the report files to out_dir (when given)."""
    from tqdm import tqdm

    world = model_world(model)
    judges = judges_of(world) if judges is None else list(judges) if isinstance(judges, (list, tuple)) else [judges]
    if not judges:
        raise GendslError(f"the {world.name} world has no judge in this copy of gendsl: there is nothing to score "
                          f"{model.kind} with")
    noise = _noise_seeds(seeds)
    if n_scenes < 2:
        raise GendslError(f"an evaluation needs at least 2 scenes of each kind, not {n_scenes}")
    if model.size % INPUT:
        raise GendslError(f"the judges read images whose side is a multiple of {INPUT}; {model.kind} draws {model.size}")
    started = time.time()
    scenes, group_of = [], []
    for kind in ("seen", "heldout"):
        for group, some in world.evaluation_scenes(n_scenes, kind == "heldout", scene_seed).items():
            scenes += some
            group_of += [f"{kind}/{group}"] * len(some)
    group_of = np.array(group_of)
    groups = {g: group_of == g for g in dict.fromkeys(group_of)}
    groups |= {kind: np.char.startswith(group_of, kind + "/") for kind in ("seen", "heldout")}
    groups["all"] = np.ones(len(scenes), bool)
    rows = np.concatenate([np.flatnonzero(group_of == g)[:SHEET_ROWS] for g in dict.fromkeys(group_of)])
    main = judges[0]
    featured = callable(getattr(main, "features", None))

    per_seed = {j.kind: {"model": [], "world": []} for j in judges}
    feats = {"model": [], "world": [], "reference": []}
    sheet: dict[str, list[np.ndarray]] = {"model": [], "world": []}
    judged, gen_time = [], 0.0
    for s in tqdm(noise, desc=f"eval {model.kind}", unit="seed", disable=not progress):
        image_seed = image_seeds(s, len(scenes))
        t = time.time()
        images = {"model": generate(model, scenes, image_seed, world, steps)}
        gen_time += time.time() - t
        images["world"] = world.reference(scenes, image_seed, model.size)
        for judge in judges:
            for who, x in images.items():
                scores = judge.score(x, scenes, image_seed)
                per_seed[judge.kind][who].append({g: tally(scores, keep) for g, keep in groups.items()})
        for who, x in images.items():
            sheet[who].append(x[rows])
        if callable(getattr(main, "read", None)):
            judged.append([str(p) for p in main.read(images["model"][rows])])
        if featured:
            feats["model"].append(main.features(images["model"]))
            feats["world"].append(main.features(images["world"]))
            feats["reference"].append(main.features(world.reference(scenes, image_seeds(s, len(scenes), "reference"),
                                                                    model.size)))

    figures = {}
    for judge in judges:
        seen = per_seed[judge.kind]
        figures[judge.kind] = {
            "fingerprint": judge.fingerprint(), "attributes": list(judge.attributes),
            "accuracy": {g: mean_std([d[g] for d in seen["model"]], judge.attributes) for g in groups},
            "world_accuracy": {g: mean_std([d[g] for d in seen["world"]], judge.attributes) for g in groups}}
    report = {
        "model": {"name": model.kind, "ref": getattr(model, "ref", model.kind), "size": model.size,
                  "fingerprint": model.fingerprint(), "steps": steps},
        "world": world.name,
        "judge": {"kind": main.kind, "fingerprint": main.fingerprint(), "input_size": INPUT},
        "judges": figures,
        "scene_seed": scene_seed, "noise_seeds": noise,
        "scenes": {g: int((group_of == g).sum()) for g in dict.fromkeys(group_of)},
        "accuracy": figures[main.kind]["accuracy"], "world_accuracy": figures[main.kind]["world_accuracy"],
        "images": len(scenes) * len(noise),
        "generate_images_per_s": round(len(scenes) * len(noise) / max(gen_time, 1e-9), 2),
        "wall_s": None, "samples": "samples.png",
        "sheet_scenes": [str(scenes[i]) for i in rows],
        "sheet_judged": [list(r) for r in zip(*judged)] if judged else None,
    }
    if featured:
        all_feats = {who: np.concatenate(f) for who, f in feats.items()}
        report["fid"] = {"model": frechet_distance(all_feats["model"], all_feats["reference"]),
                         "world": frechet_distance(all_feats["world"], all_feats["reference"])}
        # Spread in the judge's feature space: the judge is trained to ignore how things look, so this is
        # no measure of variety a person sees (it called eight copies of one bus 98% of the world's); see "ssim".
        report["judge_feature_spread"] = {who: diversity(np.stack(feats[who], axis=1)) for who in ("model", "world")}
    varies = diversity_scenes and getattr(model, "takes_noise", False)
    report["ssim"] = diversity_report(model, world, diversity_scenes, 8, scene_seed) if varies else None
    report["wall_s"] = round(time.time() - started, 1)
    if out_dir is not None:
        write(report, out_dir, _sheet(sheet))
    return report


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
    md = [f"# Evaluation of {report['model']['ref']} ({report['model']['size']} px) on the {report['world']} world",
          "", "Accuracy in %, mean ± std over noise seeds, read back by each judge of the world; the world's own "
          "pictures of the same scenes at the same seeds are the ceiling. Only attributes a scene specifies count; "
          "'all': the whole scene right.", "", format_table(report), "",
          "## Contact sheet", "", f"![samples]({report['samples']})", "",
          "Rows, top to bottom (first column: the world's drawing; then the model at each noise seed)"
          + (", and what the main judge read in the model's images:" if report.get("sheet_judged") else ":"), ""]
    judged = report.get("sheet_judged")
    md += [f"{i + 1}. {text}" + (f" — judged: {' | '.join(judged[i])}" if judged else "")
           for i, text in enumerate(report["sheet_scenes"])]
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
    """The report as Markdown tables, one per judge (readable as plain text too)."""
    lines, name = [], report["model"]["name"]
    for kind, figures in report["judges"].items():
        attributes = figures["attributes"]
        if lines:
            lines.append("")
        lines += [f"Judge {kind} ({figures['fingerprint']}):", "",
                  "| scenes | drawn by | " + " | ".join(attributes) + " |", "|" + "---|" * (len(attributes) + 2)]
        for group in figures["accuracy"]:
            for who, key in ((name, "accuracy"), ("world renders", "world_accuracy")):
                n = report["scenes"].get(group)
                label = f"{group} ({n})" if n is not None else group
                lines.append(f"| {label} | {who} | " + " | ".join(_cell(figures[key][group][a]) for a in attributes)
                             + " |")
    lines += ["", f"{report['images']} images per drawer ({sum(report['scenes'].values())} scenes x "
              f"{len(report['noise_seeds'])} noise seeds)" + (f"; sampler steps: {report['model']['steps']}"
                                                              if report["model"].get("steps") else "")]
    if report.get("fid"):
        fid = report["fid"]
        lines.append(f"Fréchet judge distance to world renders (other seeds): {name} {fid['model']:.2f}, "
                     f"world {fid['world']:.2f} (real vs real)")
    if report.get("ssim"):
        lines += [""] + format_diversity(report["ssim"], name)
    return "\n".join(lines)
