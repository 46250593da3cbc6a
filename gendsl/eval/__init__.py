"""The judge and the evaluation: how well a model draws what a scene asks for.

    from gendsl.eval import Judge, evaluate, train_judge
    judge = Judge.load()                                   # the shipped judge-world-32
    report = evaluate(gendsl.load("world", size=32), judge, n_scenes=200, seeds=2, out_dir="runs/eval-world")
    print(format_table(report))

TensorFlow loads only when a judge is built or loaded.
"""
from .judge import DEFAULT as DEFAULT_JUDGE
from .judge import Config as JudgeConfig
from .judge import Judge, load_default
from .fit import self_report, train_judge
from .metrics import diversity, eval_scenes, frechet_distance, image_seeds, judged_accuracy
from .score import ATTRIBUTES, Judgement, Prediction, accuracy, match
from .report import evaluate, format_table

__all__ = ["ATTRIBUTES", "DEFAULT_JUDGE", "Judge", "JudgeConfig", "Judgement", "Prediction", "accuracy",
           "diversity", "eval_scenes", "evaluate", "format_table", "frechet_distance", "image_seeds",
           "judged_accuracy", "load_default", "match", "self_report", "train_judge"]
