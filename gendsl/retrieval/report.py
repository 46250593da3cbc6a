"""`gendsl eval` for captioners and hashing models: report.json, report.md, and the model card's evaluation.

Captioner (evaluate_captioner): on the world test split, BLEU-4 against all five
reference captions and attribute accuracy through the language (scoring.py),
greedy on every test image and beam search on the first thousand; the held-out
compositions; seeded sampling (parse rate, distinct phrasings); and the cycle:
scenes -> the shipped cGAN -> caption -> parse -> the same scene?, beside the
same scenes drawn by the world at the same seeds (the ceiling).

Hashing (evaluate_hashing, in hash_report.py).
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np

from ..io import atomic_write_text
from ..worlds.scene.compiler import compile_scene_text
from .scoring import ATTRIBUTES, attribute_accuracy, compare, corpus_bleu, scene_or_none

DATA = Path("data") / "world32"
SAMPLE_IMAGES, SAMPLE_SEEDS = 100, 5


def caption_figures(captions: list[str], truths: list, references: list[list[str]] | None = None,
                    seeds: list[int] | None = None) -> dict:
    """Attribute accuracy (all scenes and by number of items), parse rate and, given references, BLEU-4.
    seeds: the image seed of each picture drawn at the world's layout, so a size or position the layout
    could not show is not asked for in 'all' (worlds/scene/visible.py); 'unshown' counts those pictures."""
    from ..worlds.scene.visible import unshown

    hidden = [unshown(t, s) for t, s in zip(truths, seeds)] if seeds is not None else [{}] * len(truths)
    results = [compare(scene_or_none(c), t, unshown=h) for c, t, h in zip(captions, truths, hidden)]
    sizes = np.array([len(t.items) for t in truths])
    out = {"n": len(captions), "parse": float(np.mean([scene_or_none(c) is not None for c in captions])),
           "unshown": {str(k): int(sum(bool(h) for h, s in zip(hidden, sizes) if s == k))
                       for k in sorted(set(sizes.tolist()))},
           "accuracy": attribute_accuracy(results),
           "by_items": {str(k): attribute_accuracy([r for r, s in zip(results, sizes) if s == k])
                        for k in sorted(set(sizes.tolist()))}}
    if references is not None:
        out["bleu4"] = corpus_bleu(captions, references)
    return out


def _split(data, split: str, limit: int | None):
    from ..worlds.scene.dataset import load_split

    images, _, records = load_split(data, split)
    n = len(records) if limit is None else min(limit, len(records))
    return np.asarray(images[:n]), [compile_scene_text(r["scene"]) for r in records[:n]], \
        [r["captions"] for r in records[:n]], [int(r["seed"]) for r in records[:n]]


def evaluate_captioner(model, out_dir=None, scenes: int = 100, data=DATA, test_limit: int | None = None,
                       beam_limit: int = 1000, heldout_limit: int = 1000, progress: bool = True) -> dict:
    """Every captioner figure (see the module docstring); `scenes`: scenes per cycle group.

    Greedy decoding reads the whole test split; beam search (about 4x the work) the first
    `beam_limit` images, beside greedy on the same images."""
    from ..eval.metrics import eval_scenes, generate, image_seeds
    from ..models import load as load_generator
    from ..models.world import WorldModel

    say = print if progress else (lambda *a, **k: None)
    started = time.time()
    images, truths, refs, seeds = _split(data, "test", test_limit)
    report: dict = {"model": {"name": model.kind, "fingerprint": model.fingerprint()}, "data": str(data)}
    nb = min(beam_limit, len(images))
    greedy_captions = None
    for method, n in (("greedy", len(images)), ("beam", nb)):
        say(f"captioning {n} test images ({method})")
        t = time.time()
        captions, raw = model.describe(images[:n], method)
        figures = caption_figures(captions, truths[:n], refs[:n], seeds[:n])
        figures["raw_parse"] = float(np.mean([scene_or_none(c) is not None for c in raw]))
        figures["images_per_s"] = round(n / max(time.time() - t, 1e-9), 1)
        report[f"test_{method}"] = figures
        greedy_captions = captions if method == "greedy" else greedy_captions
    report["test_greedy_beam_images"] = caption_figures(greedy_captions[:nb], truths[:nb], refs[:nb], seeds[:nb])
    say("held-out compositions")
    h_images, h_truths, h_refs, h_seeds = _split(data, "heldout", heldout_limit)
    report["heldout_greedy"] = caption_figures(model.caption(h_images, "greedy"), h_truths, h_refs, h_seeds)

    say("seeded sampling")
    sample_images, sample_truths = images[:SAMPLE_IMAGES], truths[:SAMPLE_IMAGES]
    described = [model.describe(sample_images, "sample", seeds=[s] * len(sample_images)) for s in range(SAMPLE_SEEDS)]
    per_seed, raw = [d[0] for d in described], [d[1] for d in described]
    flat = [c for texts in per_seed for c in texts]
    report["sampling"] = {
        "images": len(sample_images), "seeds": SAMPLE_SEEDS, "temperature": 1.0,
        "raw_parse": float(np.mean([scene_or_none(c) is not None for texts in raw for c in texts])),
        "distinct_per_image": float(np.mean([len({texts[i] for texts in per_seed}) for i in range(len(sample_images))])),
        "accuracy": caption_figures(flat, sample_truths * SAMPLE_SEEDS, seeds=seeds[:SAMPLE_IMAGES] * SAMPLE_SEEDS)["accuracy"],
        "example": {"truth": str(sample_truths[0]), "captions": [texts[0] for texts in per_seed]}}

    say("cycle through the shipped cGAN")
    cgan, world = load_generator("cgan"), WorldModel(size=model.config.size)
    cycle: dict = {"cgan_fingerprint": cgan.fingerprint(), "cgan": {}, "world": {}}
    for held_out in (False, True):
        for items in (1, 2):
            group = f"{'heldout' if held_out else 'seen'}/{'one' if items == 1 else 'two'}"
            group_scenes = eval_scenes(scenes, held_out=held_out, items=items, seed=0)
            seeds = image_seeds(0, len(group_scenes))
            for who, drawer in (("cgan", cgan), ("world", world)):
                drawn = generate(drawer, group_scenes, seeds)
                cycle[who][group] = caption_figures(model.caption(drawn, "greedy"), group_scenes, seeds=seeds)
    report["cycle"] = cycle
    report["wall_s"] = round(time.time() - started, 1)
    report["table"] = format_table(report)
    if out_dir is not None:
        write(report, out_dir, f"Evaluation of {model.kind}")
    return report


def _pct(figure) -> str:
    return "—" if figure is None or figure.get("accuracy") is None else f"{100 * figure['accuracy']:.1f}"


def _rows(label: str, figures: dict, columns=ATTRIBUTES) -> list[str]:
    rows = [f"| {label} | all | {figures['n'] if 'n' in figures else ''} | "
            + " | ".join(_pct(figures["accuracy"][a]) for a in columns) + " |"]
    for k, acc in figures.get("by_items", {}).items():
        rows.append(f"| {label} | {k} item{'s' if k != '1' else ''} | {acc['all']['n']} | "
                    + " | ".join(_pct(acc[a]) for a in columns) + " |")
    return rows


def format_table(report: dict) -> str:
    head = ["| images | items | n | " + " | ".join(ATTRIBUTES) + " |", "|" + "---|" * (len(ATTRIBUTES) + 3)]
    lines = ["Attribute accuracy in % (caption parsed with the language, compared with the true scene; only what "
             "the scene states counts; 'all': every stated attribute right and the same number of items; "
             "'exact': the same canonical scene). Where the world's layout could not show a stated size or "
             "position (a large group shrunk to fit, a wide group the canvas edge kept near the middle; "
             "worlds/scene/visible.py), leaving the word out is not wrong in 'all' and the figures per attribute, and is "
             "in 'strict'.", ""] + head
    lines += _rows("world test, greedy", report["test_greedy"])
    lines += _rows(f"first {report['test_beam']['n']} test, beam", report["test_beam"])[:1]
    lines += _rows(f"first {report['test_beam']['n']} test, greedy", report["test_greedy_beam_images"])[:1]
    lines += _rows("world held-out, greedy", report["heldout_greedy"])
    for who in ("cgan", "world"):
        for group, figures in report["cycle"][who].items():
            lines += _rows(f"cycle {group}, drawn by {who}", figures)[:1]
    beam, greedy, s = report["test_beam"], report["test_greedy"], report["sampling"]
    one = greedy["by_items"].get("1", {}).get("all", {}).get("n", 0)
    lines += ["",
              f"Pictures with a stated size or position their layout does not show: {greedy['unshown'].get('1', 0)} "
              f"of the {one} one-item test images, {greedy['unshown'].get('2', 0) + greedy['unshown'].get('3', 0)} "
              "of the others (measured on lone items only).",
              f"BLEU-4 against all 5 reference captions: greedy {100 * greedy['bleu4']:.1f} on the {greedy['n']} "
              f"test images; on the first {beam['n']}: beam {100 * beam['bleu4']:.1f}, greedy "
              f"{100 * report['test_greedy_beam_images']['bleu4']:.1f}. Greedy and beam decode the canonical "
              "phrasing (one of the references is usually close to it, none equals it).",
              f"Captions that parse as decoded: greedy {100 * greedy['raw_parse']:.1f}%, top beam "
              f"{100 * beam['raw_parse']:.1f}%; after the fallback to the best beam that parses: "
              f"{100 * greedy['parse']:.1f}%. Decoding speed: greedy {greedy['images_per_s']}, beam "
              f"{beam['images_per_s']} images/s.",
              f"Seeded sampling, free phrasing, temperature {s['temperature']} ({s['images']} images x {s['seeds']} "
              f"seeds): {100 * s['raw_parse']:.1f}% parse as sampled, {s['distinct_per_image']:.2f} distinct "
              f"captions per image, all-right {_pct(s['accuracy']['all'])}%.",
              f"Cycle: scenes drawn by the shipped cGAN ({report['cycle']['cgan_fingerprint']}) or by the world "
              "at the same image seeds, captioned (greedy), parsed and compared with the scene asked for."]
    return "\n".join(lines)


def write(report: dict, out_dir, title: str) -> Path:
    """report.json, report.md, and the evaluation section of the folder's model card (README.md)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "report.json", json.dumps({k: v for k, v in report.items() if k != "table"}, indent=2) + "\n")
    body = f"## {title}\n\n{report['table']}\n\nWall time of the evaluation: {report['wall_s']} s.\n"
    atomic_write_text(out / "report.md", f"#{body}")
    card = out / "README.md"
    if card.is_file():
        text = card.read_text(encoding="utf-8")
        head = re.split(r"\n## Evaluation\b", text)[0].rstrip()
        atomic_write_text(card, f"{head}\n\n## Evaluation\n\n{body.split(chr(10), 2)[2]}")
    return out


def evaluate_hashing(model, out_dir=None, scenes: int = 200, **options) -> dict:
    """See hash_report.py (`scenes` is the captioner's option, unused here)."""
    from .hash_report import evaluate_hashing as run

    return run(model, out_dir, **options)
