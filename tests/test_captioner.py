"""The captioner on a tiny config: training through the driver, save/load, decoding, seeds, its report."""
import json

import numpy as np
import pytest

from gendsl import GendslError
from gendsl.retrieval.captioner import Captioner, CaptionerConfig, parses
from gendsl.retrieval import decode
from gendsl.retrieval.models import load
from gendsl.retrieval.report import caption_figures, evaluate_captioner
from gendsl.retrieval.training import CaptionData, Trainee
from gendsl.train import TrainConfig, train

TINY = CaptionerConfig(encoder="own", widths=(4, 8), convs=(1, 1), dim=16, heads=2, layers=1, mlp=32, lr=3e-3, warmup_steps=2)
RUN = TrainConfig(steps=4, batch_size=8, checkpoint_every=2, sample_every=4)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    from gendsl.worlds.scene.dataset import build_dataset
    path = tmp_path_factory.mktemp("data") / "world32"
    build_dataset(path, n=40, size=32, seed=2, progress=False, heldout=4)
    return path


def tiny(seed=0):
    import keras
    keras.utils.set_random_seed(seed)
    return Captioner(TINY, seed=seed)


@pytest.fixture(scope="module")
def trained(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "captioner"
    model = tiny()
    data = CaptionData(dataset, 32, TINY.max_len, words=TINY.vocabulary)
    train(Trainee(model, data), data, out, RUN, progress=False)
    return model, out, data


def test_free_captions_too_long_for_the_decoder_give_way_to_the_shortest_of_their_picture():
    from gendsl.retrieval.training import _fitting

    captions = ["a red car on the road", "on the road , there is a single red car resting", "a red car"]
    # 11 words (the comma is one) + <start> and <end> = 13 tokens: too long for 12; the shortest takes its place
    assert _fitting(captions, 12) == ["a red car on the road", "a red car", "a red car"]
    assert _fitting(captions, 13) == captions


def test_seen_targets_say_where_a_lone_group_with_no_position_stands(dataset):
    from gendsl.retrieval import tokens as tok
    from gendsl.retrieval.training import CANONICAL_REPEATS
    from gendsl.worlds.scene.compiler import compile_scene_text
    from gendsl.worlds.scene.dataset import load_split
    from gendsl.worlds.scene.visible import as_seen

    said = CaptionData(dataset, 32, TINY.max_len, words=TINY.vocabulary)
    seen = CaptionData(dataset, 32, TINY.max_len, words=TINY.vocabulary, targets="seen")
    free = said.per_image - CANONICAL_REPEATS
    assert (said.tokens[:, :free] == seen.tokens[:, :free]).all()  # the free captions are the same
    texts = [tok.decode_ids(ids, TINY.vocabulary) for ids in seen.tokens[:, -1]]
    records = load_split(dataset, "train")[2]
    assert texts == [str(as_seen(compile_scene_text(r["scene"]), r["seed"])) for r in records]
    assert sum(t != tok.decode_ids(ids, TINY.vocabulary) for t, ids in zip(texts, said.tokens[:, -1])) > 0
    nearest = CaptionData(dataset, 32, TINY.max_len, words=TINY.vocabulary, targets="nearest")
    texts = [tok.decode_ids(ids, TINY.vocabulary) for ids in nearest.tokens[:, -1]]
    assert texts == [str(as_seen(compile_scene_text(r["scene"]), r["seed"], "nearest")) for r in records]
    with pytest.raises(GendslError, match="said.*seen.*nearest"):
        CaptionData(dataset, 32, TINY.max_len, targets="heard")


def test_training_writes_a_loadable_model_with_identical_captions(trained):
    model, out, data = trained
    for produced in ("config.json", "generator.weights.h5", "README.md", "checkpoint.npz", "log.csv",
                     "samples/step-000004.png"):
        assert (out / produced).is_file(), produced
    again = load(str(out), "captioner")
    images = np.asarray(data.images[:5])
    for method in ("greedy", "beam"):
        assert again.caption(images, method) == model.caption(images, method)
    assert again.fingerprint() == model.fingerprint()
    with pytest.raises(GendslError, match="not a hashing"):
        load(str(out), "hashing")


def test_resume_is_bit_for_bit(trained, dataset, tmp_path):
    straight = trained[0]  # RUN's 4 steps in one go
    for steps, resume in ((2, False), (4, True)):
        model = tiny()
        data = CaptionData(dataset, 32, TINY.max_len, words=TINY.vocabulary)
        train(Trainee(model, data), data, tmp_path, TrainConfig(**{**RUN.__dict__, "steps": steps}), resume=resume,
              progress=False)
    for a, b in zip(straight.state_variables(), model.state_variables()):
        assert np.array_equal(np.asarray(a), np.asarray(b))


def test_seeded_sampling_is_deterministic_and_batch_independent(trained):
    model, _, data = trained
    images = np.asarray(data.images[:3])
    seeds = [11, 12, 13]
    first = model.token_ids(images, "sample", seeds=seeds, temperature=1.5)
    assert np.array_equal(first, model.token_ids(images, "sample", seeds=seeds, temperature=1.5))
    singles = [model.token_ids(images[i:i + 1], "sample", seeds=[s], temperature=1.5)[0] for i, s in enumerate(seeds)]
    assert np.array_equal(np.stack(singles), first)
    other = model.token_ids(images, "sample", seeds=[21, 22, 23], temperature=1.5)
    assert not np.array_equal(other, first)  # other seeds, other words
    captions = model.caption(images[:1], "sample", seeds=[11])
    assert captions == model.caption(images[:1], "sample", seeds=[11]) and isinstance(captions[0], str)
    with pytest.raises(GendslError, match="one seed per image"):
        model.caption(images, "sample", seeds=[1])
    with pytest.raises(GendslError, match="unknown caption method"):
        model.caption(images, "nucleus")


def test_decoders_on_a_known_distribution():
    # a fixed next-word table: after <start> word 5 (p .6) or 6; then <end>
    def logits_at(tokens, t):
        out = np.full((len(tokens), 8), -20.0)
        if t == 0:
            out[:, 5], out[:, 6] = np.log(0.6), np.log(0.4)
        else:
            out[:, 2] = 0.0
        return out
    assert decode.greedy(logits_at, 2, 4)[:, 1].tolist() == [5, 5]
    ids, scores = decode.beam(logits_at, 1, 4, width=2)
    assert ids[0, :, 1].tolist() == [5, 6] and scores[0, 0] > scores[0, 1]
    rngs = [np.random.default_rng(s) for s in range(400)]
    picks = decode.sample(logits_at, rngs, 4)[:, 1]
    assert 0.5 < np.mean(picks == 5) < 0.7
    cold = decode.sample(logits_at, [np.random.default_rng(s) for s in range(50)], 4, temperature=0.05)[:, 1]
    assert (cold == 5).all()


def test_caption_figures_score_truth_and_mistakes(dataset):
    from gendsl.retrieval.report import _split
    _, truths, refs, seeds = _split(dataset, "test", None)
    perfect = caption_figures([r[0] for r in refs], truths, refs, seeds)
    assert perfect["accuracy"]["all"]["accuracy"] == 1.0 and perfect["parse"] == 1.0
    assert perfect["bleu4"] == pytest.approx(1.0)
    broken = caption_figures(["a purple elephant"] * len(truths), truths, refs)
    assert broken["accuracy"]["all"]["accuracy"] < 1.0 and broken["bleu4"] < 0.5


def test_report_on_a_tiny_trained_model(trained, dataset, tmp_path):
    model, out, _ = trained
    report = evaluate_captioner(model, tmp_path, scenes=2, data=dataset, heldout_limit=3, progress=False)
    for key in ("test_beam", "test_greedy", "heldout_greedy", "sampling", "cycle"):
        assert key in report
    assert report["test_greedy"]["parse"] >= report["test_greedy"]["raw_parse"]
    assert 0.0 <= report["test_beam"]["bleu4"] <= 1.0
    assert set(report["cycle"]["cgan"]) == {"seen/one", "seen/two", "heldout/one", "heldout/two"}
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["test_beam"]["n"] == len(CaptionData(dataset, 32, TINY.max_len, split="test").images)
    assert "BLEU-4" in (tmp_path / "report.md").read_text()
    big = np.repeat(np.repeat(np.asarray(CaptionData(dataset, 32, TINY.max_len).images[:2]), 2, 1), 2, 2)
    assert model.token_ids(big).tolist() == model.token_ids(big[:, ::2, ::2]).tolist()  # 64 px: area-downsampled
    assert all(isinstance(c, str) for c in model.caption(big)) and parses("a red car") and not parses("a red")


def test_judge_encoder_round_trip_and_refusal(dataset, tmp_path):
    import keras
    from gendsl.eval.judge import load_default
    keras.utils.set_random_seed(0)
    fingerprint = load_default().fingerprint()
    config = CaptionerConfig(dim=16, heads=2, layers=1, mlp=32, judge=fingerprint)
    model = Captioner(config)
    model.save(tmp_path / "m")
    images = np.asarray(CaptionData(dataset, 32, config.max_len).images[:2])
    assert load(str(tmp_path / "m"), "captioner").token_ids(images).tolist() == model.token_ids(images).tolist()
    assert (tmp_path / "m" / "generator.weights.h5").stat().st_size < 1_000_000  # the judge is not copied
    saved = json.loads((tmp_path / "m" / "config.json").read_text())
    saved["config"]["judge"] = "000000000000"
    (tmp_path / "m" / "config.json").write_text(json.dumps(saved))
    with pytest.raises(GendslError, match="reads the features of judge 000000000000"):
        load(str(tmp_path / "m"), "captioner")


def test_a_reading_captioner_is_handed_what_the_judge_reads_in_each_slot(dataset):
    from gendsl.eval.judge import load_default
    from gendsl.eval.labels import OUTPUTS
    small = dict(dim=16, heads=2, layers=1, mlp=32)
    model = Captioner(CaptionerConfig(reading=True, **small))
    images = np.asarray(CaptionData(dataset, 32, model.config.max_len).images[:4])
    grid, pooled = model.judge_features(images)
    judge = load_default()
    assert pooled.shape == (4, judge.config.features + OUTPUTS)
    np.testing.assert_allclose(pooled[:, -OUTPUTS:], judge.logits(images), rtol=1e-2, atol=5e-2)  # kept as float16
    assert len(Captioner(CaptionerConfig(**small)).backbone.weights) < len(model.backbone.weights)  # no slot head unread


def test_cli_trains_a_captioner_with_config_fields_set(dataset, tmp_path):
    from gendsl.cli import main
    out = tmp_path / "reading"
    assert main(["train", "captioner", "--data", str(dataset), "--out", str(out), "--steps", "2", "--batch", "4",
                 "--width", "16", "--set", "layers=1", "--set", "decay_steps=7", "--quiet"]) == 0
    config = load(str(out), "captioner").config
    assert config.reading and config.decay_steps == 7  # --set wins over the schedule the command would choose
    assert main(["train", "captioner", "--data", str(dataset), "--out", str(tmp_path / "plain"), "--steps", "2",
                 "--batch", "4", "--width", "16", "--set", "layers=1", "--set", "reading=false", "--quiet"]) == 0
    assert not load(str(tmp_path / "plain"), "captioner").config.reading
    assert main(["train", "captioner", "--data", str(dataset), "--out", str(tmp_path / "on"), "--steps", "2",
                 "--batch", "4", "--width", "16", "--set", "layers=1", "--encoder", "tuned", "--init-from",
                 str(tmp_path / "plain"), "--quiet"]) == 2  # a reading captioner cannot start from one without
    assert not (tmp_path / "on").exists()
    assert main(["train", "captioner", "--data", str(dataset), "--out", str(tmp_path / "on"), "--steps", "2",
                 "--init-encoder", "--quiet"]) == 2  # nothing to copy the encoder from
    assert not (tmp_path / "on").exists()
    for wrong in ("readings=true", "size=64", "judge=abc"):  # no such field; fields that --size and the judge set
        assert main(["train", "captioner", "--data", str(dataset), "--out", str(tmp_path / "x"), "--steps", "2",
                     "--set", wrong]) == 2, wrong
    assert not (tmp_path / "x").exists()


def test_cli_caption_prints_one_line_per_image_and_skips_others(trained, tmp_path, capsys):
    from PIL import Image
    from gendsl.cli import main
    model, out, data = trained
    for i in range(2):
        Image.fromarray(np.repeat(np.repeat(np.asarray(data.images[i]), 2, 0), 2, 1)).save(tmp_path / f"p{i}.png")
    (tmp_path / "readme.txt").write_text("no picture")
    assert main(["caption", str(tmp_path), "--model", str(out), "--method", "greedy"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert [line.split("\t")[0] for line in lines] == [str(tmp_path / "p0.png"), str(tmp_path / "p1.png")]
    assert lines[0].split("\t")[1] == model.caption(np.asarray(data.images[:1]), "greedy")[0]
    assert "skipped 1 file" in captured.err and "readme.txt" in captured.err
    assert main(["caption", str(tmp_path / "p0.png"), "--model", str(out), "--method", "sample", "--samples", "2",
                 "--seed", "5"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["caption", str(tmp_path / "readme.txt"), "--model", str(out)]) == 2
    assert "no readable images" in capsys.readouterr().err
    assert main(["caption", str(tmp_path / "p0.png"), "--model", "captionr"]) == 2
    assert 'did you mean "captioner"' in capsys.readouterr().err


def test_judge_features_computed_once_match_the_judge_read_at_each_step(dataset):
    import keras
    keras.utils.set_random_seed(0)
    model = Captioner(CaptionerConfig(dim=16, heads=2, layers=1, mlp=32), seed=0)  # encoder: the shipped judge
    data = CaptionData(dataset, 32, model.config.max_len, words=model.config.vocabulary, features=model.judge_features)
    rows = np.arange(0, 3 * data.per_image, data.per_image)
    cached = data.batch(rows)
    grid, pooled = model.backbone(np.asarray(data.images[:3]).astype(np.float32) / 127.5 - 1.0)
    np.testing.assert_allclose(cached["grid"], np.asarray(grid), rtol=2e-3, atol=2e-3)  # stored as float16
    np.testing.assert_allclose(cached["pooled"], np.asarray(pooled), rtol=2e-3, atol=2e-3)
    assert "image" not in cached and np.isfinite(float(model.train_step(cached)["loss"]))
    assert Captioner(TINY).judge_features(np.asarray(data.images[:2])) is None  # an own encoder reads images


def test_tuned_encoder_starts_where_the_frozen_one_ends_and_saves_the_judge_it_tuned(dataset, tmp_path):
    import keras
    from gendsl.commands.retrieval import start_from
    small = dict(dim=16, heads=2, layers=1, mlp=32)
    keras.utils.set_random_seed(0)
    frozen = Captioner(CaptionerConfig(**small), seed=0)
    data = CaptionData(dataset, 32, frozen.config.max_len, words=frozen.config.vocabulary, features=frozen.judge_features)
    train(Trainee(frozen, data), data, tmp_path / "frozen", RUN, progress=False)
    tuned = Captioner(CaptionerConfig(encoder="tuned", lr=1e-2, **small), seed=1)
    start_from(tuned, str(tmp_path / "frozen"))
    images = np.asarray(data.images[:6])
    assert tuned.caption(images) == frozen.caption(images)  # same judge, adapter and decoder
    raw = CaptionData(dataset, 32, tuned.config.max_len, words=tuned.config.vocabulary)
    before = [np.asarray(w).copy() for w in tuned.encoder.weights]
    train(Trainee(tuned, raw), raw, tmp_path / "tuned", RUN, progress=False)
    assert any(not np.array_equal(a, np.asarray(b)) for a, b in zip(before, tuned.encoder.weights))  # it trained
    again = load(str(tmp_path / "tuned"), "captioner")
    assert again.fingerprint() == tuned.fingerprint() and again.caption(images) == tuned.caption(images)
    restarted, continued = (Captioner(CaptionerConfig(encoder="tuned", **small), seed=2) for _ in range(2))
    start_from(restarted, str(tmp_path / "tuned"))  # decoder and adapter only: the encoder is the judge's again
    start_from(continued, str(tmp_path / "tuned"), encoder=True)  # the tuned encoder too
    assert continued.caption(images) == tuned.caption(images)
    assert all(np.array_equal(a, b) for a, b in zip(continued.encoder.get_weights(), tuned.encoder.get_weights()))
    assert not all(np.array_equal(a, b) for a, b in zip(restarted.encoder.get_weights(), tuned.encoder.get_weights()))
    with pytest.raises(GendslError, match="both need --encoder tuned"):
        start_from(continued, str(tmp_path / "frozen"), encoder=True)
    saved = json.loads((tmp_path / "tuned" / "config.json").read_text())
    saved["config"]["judge"] = "000000000000"  # another shipped judge of the same shape: the tuned network is its own
    (tmp_path / "tuned" / "config.json").write_text(json.dumps(saved))
    assert load(str(tmp_path / "tuned"), "captioner").caption(images) == tuned.caption(images)
    with pytest.raises(GendslError, match="judge or tuned encoder"):
        start_from(Captioner(TINY), str(tmp_path / "frozen"))


def test_judged_captions_pick_the_beam_the_judge_reads_in_the_picture(trained, dataset, monkeypatch):
    """Of two beams, the likelier says the wrong object; the judge reads the true one, so "judged" picks it."""
    import dataclasses
    from gendsl.retrieval import tokens as tok
    from gendsl.worlds.scene.compiler import compile_scene_text
    from gendsl.worlds.scene.dataset import load_split
    from gendsl.worlds.scene.ir import Scene, canonical

    model = trained[0]
    images, _, records = load_split(dataset, "train")
    ones = [i for i, r in enumerate(records) if len(compile_scene_text(r["scene"]).items) == 1][:3]
    images = np.asarray(images[ones])
    truths = [canonical(compile_scene_text(records[i]["scene"])) for i in ones]
    wrongs = []
    for truth in truths:
        item = truth.items[0]
        other = "stop sign" if item.object != "stop sign" else "balloon"
        wrongs.append(canonical(Scene((dataclasses.replace(item, object=other),), truth.place, truth.time)))
    texts = [[str(w), str(t)] for w, t in zip(wrongs, truths)]
    ids = np.stack([tok.encode_batch(row, TINY.max_len, TINY.vocabulary, canonical=True) for row in texts])
    beams = lambda images, beam, first: (ids[:len(images)], np.tile([-0.5, -0.6], (len(images), 1)))
    monkeypatch.setattr(model, "_beams", beams)
    captions, raw = model.describe(images, "judged", beam=2)
    assert raw == [str(w) for w in wrongs]  # the decoder's favourite
    assert captions == [str(t) for t in truths]
    assert model.describe(images[:1], "judged", beam=2)[0] == captions[:1]  # never depends on its batch
    with pytest.raises(GendslError, match="unknown caption style"):
        model.describe(images, "judged", beam=2, style="poetic")


def test_agreement_is_zero_for_what_the_judge_reads_and_below_for_anything_else():
    from gendsl.eval.labels import OUTPUTS
    from gendsl.eval.score import Prediction, agreement

    rng = np.random.default_rng(0)
    pred = Prediction.from_logits(rng.normal(0, 3, (4, OUTPUTS)))
    read = pred.scenes()
    assert np.allclose(agreement(pred, read), 0, atol=1e-9)
    other = [type(s)(s.items, s.place, "night" if s.time != "night" else "day") for s in read]
    assert (agreement(pred, other) < agreement(pred, read)).all()
