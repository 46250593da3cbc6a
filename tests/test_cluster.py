"""--cluster ray: a local Ray (2 CPUs) renders the files and builds the datasets a local run does, byte for byte."""
import sys
from pathlib import Path

import pytest

from gendsl.cli import main

ROOT = Path(__file__).resolve().parents[1]


def files(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_without_ray_the_cluster_option_says_how_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    code = main(["render", str(ROOT / "sketches" / "school_bus.sketch"), "--out", str(tmp_path / "o"),
                 "--cluster", "ray", "--quiet"])
    assert code == 2 and "pip install 'gendsl[cluster]'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_bad_cluster_address_is_a_clear_error(tmp_path, capsys):
    assert main(["data", "world", "--n", "4", "--size", "32", "--out", str(tmp_path / "d"), "--cluster", "spark"]) == 2
    assert '--cluster takes "ray"' in capsys.readouterr().err


@pytest.fixture(scope="module")
def ray():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_render_is_byte_for_byte_the_local_render(ray, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # sketch paths as a user gives them, relative
    sketches = ["sketches/school_bus.sketch", "sketches/blends.sketch"]
    common = ["--variations", "2", "--quiet"]
    assert main(["render", *sketches, "--out", str(tmp_path / "local"), *common]) == 0
    assert main(["render", *sketches, "--out", str(tmp_path / "ray"), "--cluster", "ray", *common]) == 0
    local, remote = files(tmp_path / "local"), files(tmp_path / "ray")
    assert len(local) > 10 and local.keys() == remote.keys()
    assert all(local[name] == remote[name] for name in local)


@pytest.mark.slow
def test_ray_dataset_is_byte_for_byte_the_local_one(ray, tmp_path):
    args = ["data", "world", "--n", "300", "--size", "32", "--quiet"]
    assert main([*args, "--out", str(tmp_path / "local")]) == 0
    assert main([*args, "--out", str(tmp_path / "ray"), "--cluster", "ray"]) == 0
    local, remote = files(tmp_path / "local"), files(tmp_path / "ray")
    manifest = "manifest.json"
    assert local.keys() == remote.keys() and all(local[k] == remote[k] for k in local if k != manifest)
