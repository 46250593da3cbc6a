"""The judge's model card: how it was trained and what it scored, as the README.md of its folder."""
from __future__ import annotations

from dataclasses import asdict

from .score import ATTRIBUTES


def accuracy_row(label: str, acc: dict) -> str:
    cells = [("—" if acc.get(a) is None or acc[a] != acc[a] else f"{100 * acc[a]:.1f}") for a in ATTRIBUTES]
    return f"| {label} | " + " | ".join(cells) + " |"


def accuracy_header(first: str) -> str:
    return f"| {first} | " + " | ".join(ATTRIBUTES) + " |\n|" + "---|" * (len(ATTRIBUTES) + 1)


def model_card(card: dict, config) -> str:
    lines = ["# judge-world-32", "",
             "An attribute classifier that reads a 32 x 32 picture back into its scene: per item slot the object "
             "(or an empty slot), color, size and count; per scene the place and the time. Trained only on "
             "procedural world renders, with blur and pixel-noise augmentation, so that it judges content rather "
             "than sharpness. Larger images are area-downsampled to 32 px before judging. It scores generative "
             "models (`gendsl.eval.evaluate`); its own accuracy below is the ceiling of every figure it gives.", ""]
    if card.get("call"):
        lines += ["## How it was trained", "", "```python", card["call"], "```", ""]
        if card.get("command"):
            lines += ["Command line:", "", "```", card["command"], "```", ""]
        data = card.get("data", {})
        lines += [f"- data: `{data.get('path')}`, world renders at {data.get('size')} px, dataset seed "
                  f"{data.get('seed')}, splits {data.get('n')}; trained on {data.get('train_images_used')} images: "
                  + ("the train split and the even-numbered heldout images (scored on the odd-numbered ones)"
                     if data.get("heldout_used") else "the train split only"),
                  f"- built with: `{' '.join(data.get('command') or ['(not recorded)'])}`",
                  f"- {card.get('epochs')} epochs, batch {card.get('batch_size')}, {card.get('steps')} steps, "
                  f"seed {card.get('seed')}" + _started_from(card),
                  f"- wall time {card.get('wall_s')} s ({card.get('images_per_s')} training images/s) on "
                  f"{card.get('hardware')}",
                  f"- 1-minute load average at start and end: {card.get('load_average')} (other work on the "
                  "same cores stretches the wall time)",
                  f"- {card.get('parameters')} parameters; final training loss: "
                  f"{card.get('final_loss', card.get('epoch_loss'))}",
                  ""]
    lines += ["## Config", "", "```json", _json(asdict(config)), "```", ""]
    report = card.get("report")
    if report:
        lines += ["## Accuracy on world renders it never trained on (%)", "",
                  "Only attributes the scene specifies count; 'empty' is the share of empty slots judged empty "
                  "(no extra object); 'all' is the share of images with everything right. Item slots are matched "
                  "to the scene's items in the best of the 6 orders. `test` holds seen compositions, `heldout` "
                  "the 12 held-out object x place pairs; `blur1` is a Gaussian blur of sigma 1 px at 32 px; "
                  "`from64` the same test scenes and seeds drawn at 64 px and area-downsampled.", "",
                  accuracy_header("split")]
        for split, figures in report.items():
            for variant, value in figures.items():
                if not isinstance(value, dict) or "accuracy" not in value:
                    continue
                lines.append(accuracy_row(f"{split} {variant} (n={value['n']['all']})", value["accuracy"]))
                for items, sub in value.get("by_items", {}).items():
                    label = f"{split} {variant}, {items} item{'s' if items != '1' else ''} (n={sub['n']['all']})"
                    lines.append(accuracy_row(label, sub["accuracy"]))
        lines.append("")
    return "\n".join(lines)


def _started_from(card: dict) -> str:
    start = card.get("init_from")
    return f", started from the judge `{start['path']}` ({start['fingerprint']})" if start else ""


def _json(data) -> str:
    import json

    return json.dumps(data, indent=2)
