"""A composite judge: every attribute a scene can say, read from a picture at its seed by two judges together.
Its kind is "scene-judge" (it judges whole scenes); shipped as scene-judge-world-32 for the scene world.

    judge = load_judge("scene-judge-world-32")     # eval/protocol.py
    judge.score(images, scenes, seeds)             # {attribute: (right, counted)}, one cell per image

It is two judges read together, not a network of its own:
- the box judge reads each planned instance's box: every item's object and every said colour right; and it
  reads the windows that tile the canvas away from those boxes: no thing there ('nothing else'; clouds and
  suns aside, which the world's own skies draw). What the plan fixes (size, count, position, relations) is
  right when each instance is what it should be where the plan puts it, and nothing else stands in the picture
  (how much of its box a thing fills is not measured: a large thing drawn small inside its box would pass);
- the whole-picture judge reads what belongs to the whole picture: the place and the time of day.

'all' is every one of those right. The whole-picture judge alone reads the world's own one-object renders at
about 88% all-right and its three-object ones at about 12%: telling up to three groups apart in 32 pixels is
beyond it. Read this way, the world's own renders are read nearly all right (the card's table), so a model's
figure says how far it is from the world, not how far the judge is.

Its folder (gendsl/weights/scene-judge-world-32) holds only config.json and a README: the names of the two
judges it reads with, and their fingerprints, which must match.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from ..io import atomic_write_text
from ..lang.errors import GendslError

KIND = "scene-judge"  # what it judges: a whole scene (saved in its config.json; the shipped folder is named so)
FORMAT = 1
ATTRIBUTES = ("object", "color", "nothing else", "place", "time", "all")


class CompositeJudge:
    kind = KIND
    attributes = ATTRIBUTES

    def __init__(self, boxes, whole, names: dict | None = None):
        self.boxes, self.whole = boxes, whole
        self.names = names or {}  # which folders the parts came from, as saved

    def score(self, images, scenes, seeds) -> dict:
        """{attribute: (right, counted)}, bool (N, 1) each: the judge protocol (protocol.py)."""
        images, scenes, seeds = np.asarray(images), list(scenes), list(seeds)
        items = self.boxes.judge_items(images, scenes, seeds)
        right = {"object": items["object"], "color": items["color"],
                 "nothing else": self.boxes.nothing_elsewhere(images, scenes, seeds)}
        whole = self.whole.score(images, scenes, seeds)
        for name in ("place", "time"):  # right where said; a scene that says no place asks nothing of it
            said_right, said = whole[name]
            right[name] = (said_right | ~said).all(axis=1)
        right["all"] = np.logical_and.reduce([right[a] for a in ATTRIBUTES[:-1]])
        ones = np.ones((len(scenes), 1), bool)
        return {a: (right[a][:, None], ones) for a in ATTRIBUTES}

    def read(self, images) -> list:
        """What the whole-picture judge sees (the boxes need a scene's plan to read anything)."""
        return self.whole.read(images)

    def features(self, images) -> np.ndarray:
        """The whole-picture judge's features: the space of the Fréchet distance."""
        return self.whole.features(images)

    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.boxes.fingerprint()}:{self.whole.fingerprint()}".encode()).hexdigest()[:12]

    def save(self, path, readme: str | None = None) -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        parts = {role: {"judge": self.names.get(role, role), "fingerprint": part.fingerprint()}
                 for role, part in (("boxes", self.boxes), ("whole", self.whole))}
        config = {"kind": KIND, "format": FORMAT, "parts": parts, "fingerprint": self.fingerprint()}
        atomic_write_text(path / "config.json", json.dumps(config, indent=2) + "\n")
        if readme is not None:
            atomic_write_text(path / "README.md", readme)
        return path

    @classmethod
    def load(cls, path) -> "CompositeJudge":
        """Its two parts by the shipped names its config.json gives, checked against their fingerprints."""
        from .protocol import WEIGHTS, load_judge

        config_file = Path(path) / "config.json"
        try:
            data = json.loads(config_file.read_text(encoding="utf-8"))
            parts = {role: data["parts"][role] for role in ("boxes", "whole")}
            names = {role: str(part["judge"]) for role, part in parts.items()}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
            raise GendslError(f"{config_file} is not a scene judge's config: {error}") from None
        if data.get("kind") != KIND or data.get("format") != FORMAT:
            raise GendslError(f"{path} holds a {data.get('kind')!r}, not a {KIND} of format {FORMAT}")
        loaded = {}
        for role, name in names.items():
            # parts are shipped judges by name: a config file never names a path to read
            if not name.replace("-", "").isalnum() or not (WEIGHTS / name / "config.json").is_file():
                raise GendslError(f"{config_file}: its {role} judge {name!r} is not a judge shipped with gendsl")
            loaded[role] = load_judge(name)
            if loaded[role].fingerprint() != parts[role].get("fingerprint"):
                raise GendslError(f"{config_file}: the shipped {name} is not the judge it was made with "
                                  f"(fingerprint {loaded[role].fingerprint()}, not {parts[role].get('fingerprint')})")
        return cls(loaded["boxes"], loaded["whole"], names)


def world_ceiling(judge: CompositeJudge, world, n_scenes: int = 200, seeds=(0, 1)) -> dict:
    """The world's own renders read by the judge, as `gendsl eval` draws them: {group: {attribute: share}}, over
    the seen and held-out scenes of one, two and three objects at each noise seed."""
    from .metrics import image_seeds
    from .protocol import tally

    out: dict = {}
    for kind in ("seen", "heldout"):
        for group, scenes in world.evaluation_scenes(n_scenes, kind == "heldout", 0).items():
            per_seed = []
            for s in seeds:
                at = image_seeds(s, len(scenes))
                per_seed.append(tally(judge.score(world.reference(scenes, at, 32), scenes, at)))
            out[f"{kind}/{group}"] = {a: float(np.mean([d[a]["accuracy"] for d in per_seed])) for a in ATTRIBUTES}
    return out


def main(argv=None) -> int:
    """python -m gendsl.eval.composite_judge --boxes NAME --whole NAME --out FOLDER: compose, read the world's own
    renders with it, and write its folder with the card."""
    import argparse

    from ..worlds import get
    from .protocol import load_judge

    p = argparse.ArgumentParser(description=main.__doc__.split(":")[0])
    p.add_argument("--boxes", default="box-judge-world-32", help="a shipped box judge")
    p.add_argument("--whole", default="judge-world-32", help="a shipped whole-picture judge")
    p.add_argument("--world", default="scene")
    p.add_argument("--scenes", type=int, default=200, help="seen and held-out scenes of each count of objects")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    names = {"boxes": args.boxes, "whole": args.whole}
    judge = CompositeJudge(load_judge(args.boxes), load_judge(args.whole), names)
    figures = world_ceiling(judge, get(args.world), args.scenes)
    rows = [f"| {g} | " + " | ".join(f"{100 * v[a]:.1f}" for a in ATTRIBUTES) + " |" for g, v in figures.items()]
    card = [f"# {Path(args.out).name}", "", __doc__.split("\n\n", 2)[2].strip(), "", "## Made with", "",
            f"`python -m gendsl.eval.composite_judge --boxes {args.boxes} --whole {args.whole} --scenes {args.scenes} "
            f"--out {args.out}`", "", f"Parts: {args.boxes} ({judge.boxes.fingerprint()}), {args.whole} "
            f"({judge.whole.fingerprint()}).", "", "## The world's own renders, read by it", "",
            f"All-right and per attribute in %, {args.scenes // 2} scenes of each group x 2 noise seeds, as "
            "`gendsl eval` draws them (the ceiling of every model's figure):", "",
            "| scenes | " + " | ".join(ATTRIBUTES) + " |", "|---|" + "---|" * len(ATTRIBUTES), *rows, ""]
    judge.save(args.out, "\n".join(card))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
