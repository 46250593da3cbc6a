"""Layout maps painted over a whole batch are the bytes the one-box-at-a-time loop paints."""
import numpy as np
import pytest

import gendsl
from gendsl.worlds.scene.encode import decode
from gendsl.lang.noise import Noise
from gendsl.worlds.scene.layout_maps import CHANNELS, MASK_CHANNEL, PLACE_CHANNEL, _OBJECTS, _PLACES, batch_maps
from gendsl.worlds.scene.render import plan_scene
from gendsl.worlds.scene.sample import sample_scene


def reference_maps(scene, seed, size):
    """The loop layout_maps ran before it was vectorised (kept here as the reference)."""
    plan = plan_scene(scene, seed)
    maps = np.zeros((size, size, CHANNELS), np.float32)
    centers = (np.arange(size, dtype=np.float32) + 0.5) / size
    for p in plan.placements:
        x0, y0, x1, y1 = p.box
        cols = np.flatnonzero((centers >= x0) & (centers < x1))
        rows = np.flatnonzero((centers >= y0) & (centers < y1))
        if not len(cols) or not len(rows):
            cols = cols if len(cols) else np.array([min(int((x0 + x1) / 2 * size), size - 1)])
            rows = rows if len(rows) else np.array([min(int((y0 + y1) / 2 * size), size - 1)])
        box = maps[slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)]
        box[..., :PLACE_CHANNEL] = 0.0
        parts = p.objects or ((p.object, 1.0),)
        total = sum(w for _, w in parts)
        for name, weight in parts:
            box[..., _OBJECTS[name]] = weight / total
        box[..., 12:15] = np.asarray(p.said_color, np.float32) / 127.5 - 1.0
        box[..., MASK_CHANNEL] = 1.0
        box[..., 16] = ((centers[cols] - x0) / max(x1 - x0, 1e-6) * 2 - 1)[None, :]
        box[..., 17] = ((centers[rows] - y0) / max(y1 - y0, 1e-6) * 2 - 1)[:, None]
    for name, weight in plan.parts:
        maps[..., PLACE_CHANNEL + _PLACES[name]] += weight
        horizon = plan.horizon(name)
        if horizon is not None:
            maps[centers >= horizon, :, CHANNELS - 1] += weight
    maps[..., CHANNELS - 2] = plan.night
    return maps


@pytest.mark.parametrize("size", [32, 64])
def test_batch_maps_equal_the_one_image_loop(size):
    rng = np.random.default_rng(5)
    texts = ["a herd of elephants flying in blue skies", "a (yellow:0.6, red:0.4) car on (beach:0.5, road:0.5)",
             "two small red cars next to a house on the beach at night", "a red (car:0.5, boat:0.5)",
             "three large trees left of a house and a balloon at (day:0.7, night:0.3)"]
    scenes = [gendsl.compile_scene(t) for t in texts] + [sample_scene(rng) for _ in range(60)]
    seeds = [int(s) for s in rng.integers(0, 10_000, len(scenes))]
    seeds[:3] = [Noise(3, 9, 0.4), Noise(4, 1, 1.0), Noise(5)]
    cond = np.stack([gendsl.encode(s) for s in scenes])
    got = batch_maps(cond, seeds, size)
    want = np.stack([reference_maps(decode(c), s, size) for c, s in zip(cond, seeds)])
    assert got.dtype == np.float32 and got.tobytes() == want.tobytes()


@pytest.mark.parametrize("size,instances,details", [(32, False, False), (64, False, False), (32, True, False),
                                                    (32, False, True)])
def test_graph_painted_maps_equal_numpy(size, instances, details):
    from gendsl.models import layout_graph

    rng = np.random.default_rng(size)
    scenes = [gendsl.compile_scene("a (yellow:0.6, red:0.4) car on (beach:0.5, road:0.5) at (day:0.7, night:0.3)"),
              gendsl.compile_scene("a red (car:0.5, boat:0.5) left of a herd of elephants")] + \
        [sample_scene(rng) for _ in range(40)]
    seeds = [int(s) for s in rng.integers(0, 10_000, len(scenes))]
    cond = np.stack([gendsl.encode(s) for s in scenes])
    arrays = layout_graph.plan_arrays(cond, seeds, size, with_details=details)
    got = np.asarray(layout_graph.paint(arrays, size, instances, details))
    assert got.tobytes() == batch_maps(cond, seeds, size, instances, details).tobytes()


def test_instance_channels_carry_each_instance_facing_and_shape_noise():
    """Conditioning "instances": inside each box its facing (+1 right) and the first two values of the stream
    its shape is drawn from; nothing outside; a variation seed at strength 1 gives the other seed's values."""
    from gendsl.lang.noise import Noise
    from gendsl.worlds.scene.layout_maps import CHANNELS, INSTANCE_CHANNELS, layout_maps
    from gendsl.worlds.scene.render import plan_scene

    scene = gendsl.compile_scene("a yellow school bus in a parking lot")
    seen = set()
    for seed in range(12):
        maps = layout_maps(scene, seed, 32, instances=True)
        assert maps.shape == (32, 32, CHANNELS + INSTANCE_CHANNELS)
        assert maps[..., :CHANNELS].tobytes() == layout_maps(scene, seed, 32).tobytes()
        (p,) = plan_scene(scene, seed).placements
        inside = maps[..., 15] > 0
        own = maps[inside][:, CHANNELS:]
        assert np.all(own == own[0]) and np.all(maps[~inside][:, CHANNELS:] == 0)
        stream = Noise(seed).stream("shape/0/0")
        assert own[0][0] == (1.0 if p.facing == "right" else -1.0)
        first, second = stream.random() * 2 - 1, stream.random() * 2 - 1
        assert np.allclose(own[0][1:3], [first, second], atol=1e-6)
        design = int((first + 1) / 2 * 3)  # the bus has three: two cuts say which
        assert list(own[0][3:8] > 0) == [first > c for c in (-0.5, -1 / 3, 0.0, 1 / 3, 0.5)]
        assert int(own[0][4] > 0) + int(own[0][6] > 0) == design
        seen.add((own[0][0], design))  # facing x design
    assert len(seen) >= 4  # the seed decides them: a sentence's renditions differ in facing and design
    far = layout_maps(scene, Noise(3, 99, 1.0), 32, instances=True)
    assert far.tobytes() == layout_maps(scene, 99, 32, instances=True).tobytes()


def test_detail_channels_say_where_the_backdrop_draws_its_markings():
    """Conditioning "details": after the instances' channels, where the world's backdrop at this seed draws its
    lines and shapes (the parking bays), and its sky's; they move with the seed, and the picture has its
    markings where the maps say (the bays are light paint on dark asphalt)."""
    from gendsl.lang.noise import Noise
    from gendsl.worlds.scene.layout_maps import CHANNELS, DETAIL_CHANNELS, INSTANCE_CHANNELS, layout_maps
    from gendsl.worlds.scene.render import render_scene

    scene = gendsl.compile_scene("a red car in a parking lot")
    first = CHANNELS + INSTANCE_CHANNELS
    previous = None
    for seed in range(6):
        maps = layout_maps(scene, seed, 32, with_details=True)
        assert maps.shape == (32, 32, first + DETAIL_CHANNELS)
        assert maps[..., :first].tobytes() == layout_maps(scene, seed, 32, instances=True).tobytes()
        ground = maps[..., first]
        assert 0 <= ground.min() and ground.max() <= 1 and ground.max() > 0.9
        image = render_scene(scene, seed, 32).astype(float).mean(-1)
        below = maps[..., 26] > 0  # the ground, outside the car's box
        painted, bare = below & (ground > 0.8) & (maps[..., 15] == 0), below & (ground == 0) & (maps[..., 15] == 0)
        assert image[painted].mean() > image[bare].mean() + 40
        assert previous is None or ground.tobytes() != previous
        previous = ground.tobytes()
    far = layout_maps(scene, Noise(3, 99, 1.0), 32, with_details=True)
    assert far.tobytes() == layout_maps(scene, 99, 32, with_details=True).tobytes()
    assert not far[..., first + 2].any()  # no stars by day


def test_the_star_channel_says_where_the_night_sky_has_its_stars():
    from gendsl.worlds.scene.layout_maps import CHANNELS, INSTANCE_CHANNELS, layout_maps
    from gendsl.worlds.scene.render import render_scene

    scene = gendsl.compile_scene("a red car on the road at night")
    star = CHANNELS + INSTANCE_CHANNELS + 2
    lit = 0
    for seed in range(6):
        stars = layout_maps(scene, seed, 32, with_details=True)[..., star]
        image = render_scene(scene, seed, 32).astype(float).mean(-1)
        on, off = stars > 0.5, stars == 0
        if on.any():
            lit += 1
            sky = np.zeros_like(off)
            sky[:8] = True  # the top of the sky, above any car
            assert image[on & sky].mean() > image[off & sky].mean() + 40 if (on & sky).any() else True
    assert lit >= 4
