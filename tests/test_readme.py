"""The README is executable: its Python runs, its test command is what CI runs."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_readme_opens_with_the_two_commands():
    first, second = blocks("bash")[:2]
    assert "pip install -e ." in first and "gendsl render sketches/school_bus.sketch" in first
    assert 'pip install -e ".[test]"' in second and "pytest" in second


def test_ci_runs_the_readme_test_command():
    command = [line for line in blocks("bash")[1].splitlines() if line and not line.startswith("#")][0]
    assert command in (ROOT / ".ci" / "run").read_text()


def test_python_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    for code in blocks("python"):
        exec(compile(code, "README.md", "exec"), {})


def test_sketch_example_in_readme_is_the_shipped_sketch():
    shipped = (ROOT / "sketches" / "school_bus.sketch").read_text()
    example = blocks("")[1] if blocks("") else ""
    for line in example.splitlines():
        if line.startswith(("let ", "scene ", "grid ", "morph ")):
            assert line in shipped, line
