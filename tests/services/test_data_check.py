"""`python -m bot check-data`: a broken copy of each data file is caught with file and line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.services.data_check import check_data

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FACTS = ROOT.parent / "shared" / "domain" / "FACTS.md"

# (file, text to find, what it becomes, words the problem must contain)
BREAKAGES = [
    (
        "regions.yaml",
        'name: {kk: "Абай облысы", ru: "область Абай"}',
        'name: {kk: "Абай облысы"}',
        "no ru",
    ),
    ("regions.yaml", "  - code: akmola\n", "  - code: abai\n", "abai appears twice"),
    ("settlements.yaml", "  akmola:\n", "  akmolinsk:\n", "unknown region code akmolinsk"),
    (
        "settlements.yaml",
        '{code: chaglinka, kk: "Чаглинка", ru: "Чаглинка",',
        '{code: chaglinka, kk: "Чаглинка",',
        "chaglinka has no ru",
    ),
    (
        "ivf_quotas.yaml",
        ', source: "sputnik-kz.net, 10.03.2024"}',
        "}",
        "no «source»",
    ),
    ("facilities.yaml", "    region: astana\n", "    region: atlantis\n", "unknown region"),
    (
        "knowledge/ivf.yaml",
        '    source: {kk: "ҚР ДСМ, 2022 ж. 8 қараша (El.kz)", ru: "Минздрав РК, 8 ноября 2022 г. '
        '(El.kz)"}\n',
        '    source: {kk: "ҚР ДСМ, 2022 ж. 8 қараша (El.kz)"}\n',
        "«source» has no ru",
    ),
    ("knowledge/ivf.yaml", "  - id: ivf_programme\n", "  - id: [ivf_programme\n", "not valid"),
    ("mobile_visits.csv", "akmola;Чаглинка;train;", "akmola;Нарния;train;", "settlement"),
    (
        "examples/mobile_visits_demo.csv",
        "kyzylorda;Сулутобе;ЖМК;Шиелі аудандық ауруханасы (EXAMPLE);10.06.2030;",
        "kyzylorda;Сулутобе;ЖМК;Шиелі аудандық ауруханасы (EXAMPLE);31.02.2030;",
        "date",
    ),
]


def broken_copy(tmp_path: Path, name: str, find: str, replace: str) -> tuple[Path, int]:
    """A copy of data/ with one change; returns it and the line the change is on."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / name
    text = path.read_text(encoding="utf-8")
    assert text.count(find) >= 1, f"{find!r} is not in {name} any more"
    line = text[: text.index(find) + len(find) - len(find.lstrip())].count("\n") + 1
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    return copy, line


def test_the_shipped_data_has_no_problem() -> None:
    assert check_data(DATA, FACTS) == []


@pytest.mark.parametrize(("name", "find", "replace", "words"), BREAKAGES)
def test_a_broken_file_is_reported_with_its_file_and_line(
    tmp_path: Path, name: str, find: str, replace: str, words: str
) -> None:
    copy, line = broken_copy(tmp_path, name, find, replace)
    problems = check_data(copy, FACTS)
    assert problems, f"nothing found in a broken {name}"
    # A lost region code also shows where it is used; the broken file and line come first.
    in_file = [problem for problem in problems if problem.file == name]
    assert any(words in problem.message for problem in in_file), problems
    assert line in {problem.line for problem in in_file}, problems


@pytest.mark.skipif(not FACTS.exists(), reason="../shared/domain/FACTS.md is not beside the repo")
@pytest.mark.parametrize(
    ("name", "find", "replace"),
    [
        ("ivf_quotas.yaml", "{year: 2024, quotas: 273,", "{year: 2024, quotas: 275,"),
        ("knowledge/ivf.yaml", "ежегодно выделяется\n        7 000 квот", "ежегодно 7 500 квот"),
    ],
)
def test_a_figure_not_in_the_facts_it_cites_is_reported(
    tmp_path: Path, name: str, find: str, replace: str
) -> None:
    copy, line = broken_copy(tmp_path, name, find, replace)
    problems = check_data(copy, FACTS)
    assert [problem.file for problem in problems] == [name]
    assert "not in FACTS rows" in problems[0].message
    assert problems[0].line <= line


def test_start_up_refuses_broken_data_with_the_same_report_and_no_traceback(
    tmp_path: Path,
) -> None:
    copy, line = broken_copy(tmp_path, "settlements.yaml", "  akmola:\n", "  akmolinsk:\n")
    env = {
        **os.environ,
        "DATA_PATH": str(copy),
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "BOT_TOKEN": "",
    }
    check = subprocess.run(
        [sys.executable, "-m", "bot", "check-data"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert check.returncode == 1
    assert f"settlements.yaml:{line}: unknown region code akmolinsk" in check.stdout
    start = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        input="",
    )
    assert start.returncode == 3  # not restarted by systemd: a restart cannot fix a file
    assert f"settlements.yaml:{line}: unknown region code akmolinsk" in start.stderr
    assert "Traceback" not in start.stderr
    assert not (tmp_path / "bot.sqlite3").exists()
