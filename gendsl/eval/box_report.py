"""The object-centric part of an evaluation: the box judge's verdicts per group of scenes, beside the world's.

    per_seed = box_verdicts(boxes, judgement, images, scenes, seeds, group_of, names)   # one noise seed
    table = box_figures([per_seed, ...])                                                 # mean, std over seeds

'all' is every item's object and said colour right in its boxes (box_judge.py) and the place and time
right (the whole-picture judge, which reads those at about 100%).
"""
from __future__ import annotations

import numpy as np

FIGURES = ("object", "color", "all")


def box_verdicts(boxes, judgement, images, scenes, seeds, group_of: np.ndarray, names: list[str]) -> dict:
    """{group name: {figure: share right}} for one noise seed."""
    right = boxes.judge_items(images, scenes, seeds)
    scene_ok = (judgement.scene_right | ~judgement.scene_mask).all(axis=1)
    right = {**right, "all": right["all"] & scene_ok}
    return {name: {f: float(right[f][group_of == g].mean()) for f in FIGURES}
            for g, name in enumerate(names) if (group_of == g).any()}


def box_figures(per_seed: list[dict]) -> dict:
    """{group: {figure: {"mean", "std"}}} over noise seeds."""
    return {group: {f: {"mean": float(np.mean([d[group][f] for d in per_seed])),
                        "std": float(np.std([d[group][f] for d in per_seed]))} for f in FIGURES}
            for group in per_seed[0]}


def format_boxes(report: dict) -> list[str]:
    if not report.get("boxes"):
        return []
    lines = [f"Object-centric (box judge {report['box_judge']}): each planned box read apart; 'all' adds the "
             "place and time.", "", "| scenes | drawn by | object | colour | all |", "|---|---|---|---|---|"]
    for group in report["boxes"]:
        for who, key in ((report["model"]["name"], "boxes"), ("world renders", "world_boxes")):
            row = report[key][group]
            lines.append(f"| {group} | {who} | " + " | ".join(
                f"{100 * row[f]['mean']:.1f} ± {100 * row[f]['std']:.1f}" for f in FIGURES) + " |")
    return lines
