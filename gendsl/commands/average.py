"""`gendsl average`: one model from the mean of the weights of runs fine-tuned from one start (a model soup).

    gendsl average runs/cap-a runs/cap-b --out runs/cap-mean && gendsl eval runs/cap-mean

The work is in gendsl/models/average.py; TensorFlow loads only when the handler runs.
"""
from __future__ import annotations

import sys


def register(sub, train) -> dict:
    average = sub.add_parser("average", help="one model from the mean of the weights of several runs of one network "
                                             "(a model soup: fine-tuned from one start; measure it with gendsl eval)")
    average.add_argument("models", nargs="+", help="saved model folders or shipped names, all of one kind (cgan, "
                                                   "cvae, captioner or hashing) and one shape")
    average.add_argument("--out", required=True, help="folder to write the averaged model to (a new one)")
    average.set_defaults(func=cmd_average)
    return {}


def cmd_average(args) -> int:
    from ..models.average import average

    model, out = average(args.models, args.out)
    print(f"wrote {out}: a {model.kind} averaged from {len(args.models)} models, fingerprint {model.fingerprint()}; "
          f"measure it with: gendsl eval {out}", file=sys.stderr)
    return 0
