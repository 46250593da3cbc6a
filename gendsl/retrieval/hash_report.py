"""`gendsl eval` for a hashing model: retrieval on a gallery of world test images, beside its baselines.

Every method ranks the same gallery in the same run:
- semantic hashing: the model's binary codes, by Hamming distance;
- LSH: random-hyperplane codes with the same number of bits (Charikar's SimHash), of the
  model's own float embedding (the code layer before rounding, centred), and for image ->
  image also of the judge features the model reads;
- float cosine: exact cosine similarity on those same float vectors.
Figures:
- image -> image precision@10: a hit shows the same objects (as a set), or the same objects
  at the same place (the place the world drew, also where the scene named none); the query
  is left out;
- text -> image and image -> text recall@1/5/10 over the gallery's image-caption pairs (one
  caption per image; every phrasing of a scene gives the same text code).
Ties (frequent among Hamming distances) are counted in expectation over their orders
(scoring.expected_hits), so no method gains from the order of the gallery.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ..worlds.scene.compiler import compile_scene_text
from ..lang.ir import dominant
from ..lang.seeds import stream
from .codes import hamming, pack
from .report import DATA, write
from .scoring import expected_hits

GALLERY = 1000
KS = (1, 5, 10)


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return a @ b.T


def _hamming_scores(a_bits: np.ndarray, b_bits: np.ndarray) -> np.ndarray:
    """-Hamming distance (higher is nearer) of every row of a to every row of b, by popcount."""
    a, b = pack(a_bits), pack(b_bits)
    return -np.stack([hamming(b, q) for q in a]).astype(np.float64)


def lsh_bits(vectors: np.ndarray, bits: int, center: np.ndarray, seed: int = 0) -> np.ndarray:
    """Random-hyperplane codes: the sign of `bits` Gaussian projections of the centred vectors."""
    planes = stream(seed, "lsh", str(vectors.shape[1]), str(bits)).standard_normal((vectors.shape[1], bits))
    return (vectors - center) @ planes > 0


def precision_at(scores: np.ndarray, relevant: np.ndarray, k: int = 10) -> float:
    """Mean precision@k of each row's ranking, the row's own item (the diagonal) left out."""
    n = len(scores)
    out = []
    for i in range(n):
        keep = np.arange(n) != i
        out.append(expected_hits(scores[i, keep], relevant[i, keep], k) / k)
    return float(np.mean(out))


def recall_at(scores: np.ndarray, ks=KS) -> dict[str, float]:
    """Recall@k when row i's only relevant item is column i."""
    eye = np.eye(len(scores), dtype=bool)
    return {f"R@{k}": float(np.mean([expected_hits(scores[i], eye[i], k) for i in range(len(scores))])) for k in ks}


def _truth(records) -> tuple[dict[str, np.ndarray], list[str]]:
    """Relevance for image -> image (same object set; and at the same drawn place), one caption per image."""
    from ..worlds.scene.render import plan_scene

    objects, places = [], []
    for r in records:
        scene = compile_scene_text(r["scene"])
        objects.append(frozenset(dominant(it.object) for it in scene.items))
        places.append(dominant(plan_scene(scene, int(r["seed"])).scene.place))  # drawn, also when none was named
    same_objects = np.array([[a == b for b in objects] for a in objects])
    same_place = np.array([[a == b for b in places] for a in places])
    return {"objects": same_objects, "objects+place": same_objects & same_place}, [r["captions"][0] for r in records]


def evaluate_hashing(model, out_dir=None, gallery: int = GALLERY, data=DATA, progress: bool = True) -> dict:
    from .hashing import image_features
    from ..worlds.scene.dataset import load_split

    say = print if progress else (lambda *a, **k: None)
    started = time.time()
    images, _, records = load_split(data, "test")
    n = min(gallery, len(records))
    images, records = np.asarray(images[:n]), records[:n]
    relevant, captions = _truth(records)
    say(f"coding a gallery of {n} images and their captions")
    features = image_features(model.judge(), images)
    z_image, z_text = model.feature_logits(features), model.text_logits(captions)
    bits = model.config.bits
    joint_center = np.concatenate([z_image, z_text]).mean(0)
    feat_center = features.mean(0)
    scaled = (features - feat_center) / np.maximum(features.std(0), 1e-6)  # what the model's input layer sees
    methods = {
        "semantic hashing (Hamming)": (z_image > 0, z_text > 0, "bits"),
        f"LSH {bits} bits of the joint embedding": (lsh_bits(z_image, bits, joint_center),
                                                    lsh_bits(z_text, bits, joint_center), "bits"),
        "float cosine of the joint embedding": (z_image, z_text, "float"),
        f"LSH {bits} bits of the judge features": (lsh_bits(scaled, bits, 0.0), None, "bits"),
        "float cosine of the judge features": (scaled, None, "float"),
    }
    rows = {}
    for name, (img, txt, space) in methods.items():
        score = _hamming_scores if space == "bits" else _cosine
        t = time.time()
        i2i = score(img, img)
        row = {f"i2i_P@10 {what}": precision_at(i2i, rel, 10) for what, rel in relevant.items()}
        if txt is not None:
            row |= {f"t2i_{k}": v for k, v in recall_at(score(txt, img)).items()}
            row |= {f"i2t_{k}": v for k, v in recall_at(score(img, txt)).items()}
        row["seconds"] = round(time.time() - t, 2)
        rows[name] = row
    codes = z_image > 0
    report = {"model": {"name": model.kind, "fingerprint": model.fingerprint(), "bits": bits,
                        "binarize": model.config.binarize, "judge": model.config.judge},
              "gallery": n, "data": str(data), "methods": rows,
              "codes": {"distinct_image_codes": int(len(np.unique(pack(codes), axis=0))),
                        "bit_balance_min_max": [float(codes.mean(0).min()), float(codes.mean(0).max())],
                        "relevant_per_query": {what: float(rel.sum(1).mean() - 1) for what, rel in relevant.items()}}}
    report["wall_s"] = round(time.time() - started, 1)
    report["table"] = format_table(report)
    if out_dir is not None:
        write(report, Path(out_dir), f"Evaluation of {model.kind} ({bits} bits)")
    return report


COLUMNS = ("i2i_P@10 objects", "i2i_P@10 objects+place", *(f"t2i_R@{k}" for k in KS), *(f"i2t_R@{k}" for k in KS))


def format_table(report: dict) -> str:
    per = report["codes"]["relevant_per_query"]
    lines = [f"Retrieval on a gallery of {report['gallery']} world test images, in % (ties counted in expectation). "
             "i2i P@10: image -> image precision@10, where a hit shows the same objects (as a set; "
             f"{per['objects']:.1f} such images per query on average), or the same objects at the same place "
             f"({per['objects+place']:.1f} per query); t2i / i2t R@k: text -> image and image -> text recall@k "
             "of the true image-caption pair.", "",
             "| method | " + " | ".join(COLUMNS) + " |", "|" + "---|" * (len(COLUMNS) + 1)]
    for name, row in report["methods"].items():
        lines.append(f"| {name} | " + " | ".join("—" if c not in row else f"{100 * row[c]:.1f}" for c in COLUMNS) + " |")
    c = report["codes"]
    lines += ["", f"{c['distinct_image_codes']} distinct image codes among {report['gallery']} images; "
              f"share of images with each bit set: {c['bit_balance_min_max'][0]:.2f} to {c['bit_balance_min_max'][1]:.2f}."]
    return "\n".join(lines)
