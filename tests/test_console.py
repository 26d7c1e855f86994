"""The console chat answers end to end, as `make run` starts it without a token."""

import os
import subprocess
import sys
from pathlib import Path

from tests.catalog import tr

ROOT = Path(__file__).resolve().parent.parent
DONE = "Done: I will answer in the language you chose. You can change it any time with /language."


def _run_console(tmp_path: Path, typed: str) -> str:
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "console.sqlite3"), "BOT_TOKEN": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        input=typed,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_console_answers_start_and_a_button_press_in_kazakh(tmp_path: Path) -> None:
    out = _run_console(tmp_path, "/start\n1\n/help\n/quit\n")
    assert "[1] Қазақша  [2] Русский" in out
    assert tr(DONE, "kk") in out
    assert "1414" in out
    assert "Мен не істей аламын" in out


def test_console_in_russian_by_label(tmp_path: Path) -> None:
    out = _run_console(tmp_path, "/start\nРусский\n/photo\n")
    assert tr(DONE, "ru") in out
    assert "Я понимаю только текст" in out
