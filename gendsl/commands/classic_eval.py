"""`gendsl train digits-judge` and `gendsl eval` for models driven by digits scenes (the conditional RBM).

    gendsl train digits-judge --out runs/judge-digits     # trained on digits-world renders only
    gendsl eval rbm --scenes 40 --seeds 2                 # report.json, report.md, samples.png in eval/rbm

cli.cmd_eval hands a model here when `evaluates(name)` says it reads digits
scenes; everything else keeps the scene world's judge.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..lang.errors import GendslError

DEFAULT_RENDERS, DEFAULT_EPOCHS, DEFAULT_BATCH = 20000, 3, 128


def register(sub, train) -> None:
    train.add_argument("--renders", type=int, default=DEFAULT_RENDERS,
                       help=f"digits-judge: digits-world renders to train on (default {DEFAULT_RENDERS})")
    evaluate = sub.choices.get("eval")
    if evaluate is not None:
        evaluate.add_argument("--steps", type=int, help="digits-world models (rbm): Gibbs sweeps (default: the model's)")


def train_digits_judge(args) -> int:
    from ..eval.digits_fit import train_digits_judge as train

    out = Path(args.out)
    if (out / "config.json").exists():
        raise GendslError(f"{out} already holds a model; choose another --out")
    batch = DEFAULT_BATCH if args.batch == 64 else args.batch  # 64 is the shared default: take the judge's own
    judge = train(out, n_train=args.renders, epochs=args.epochs or DEFAULT_EPOCHS, batch_size=batch, seed=args.seed,
                  progress=not args.quiet, command=["gendsl", *sys.argv[1:]])
    report = judge.card["report"]
    print(f"{out}: digits judge trained in {judge.card['wall_s']} s; all-right on test "
          f"{100 * report['test']['crisp']['all']:.1f}%, held-out {100 * report['heldout']['crisp']['all']:.1f}% "
          f"(card: {out}/README.md)")
    return 0


def evaluates(name: str) -> bool:
    """Whether `gendsl eval NAME` is for a model whose world is judged by the digits judge (asked of its world:
    the RBM, the digits renderer, a cGAN or cVAE trained with --data digits)."""
    from ..eval.digits_judge import KIND
    from ..render.jobs import model_world

    world = model_world(name)
    return world is not None and world.judge == KIND


def cmd_eval(args) -> int:
    from ..eval.digits_judge import DigitsJudge
    from ..eval.digits_report import evaluate_digits, format_table
    from ..models import load

    if getattr(args, "steps", None) is not None and not 1 <= args.steps <= 100_000:
        raise GendslError(f"--steps must be between 1 and 100000, not {args.steps}")
    model = load(args.model)
    judge = DigitsJudge.load(args.judge) if args.judge else DigitsJudge.load()
    out = Path(args.out) if args.out else (Path(args.model) if Path(args.model).is_dir() else Path("eval") / args.model)
    report = evaluate_digits(model, judge, n_scenes=args.scenes, seeds=args.seeds, out_dir=out,
                             steps=getattr(args, "steps", None))
    print(format_table(report))
    print(f"report written to {out}")
    return 0
