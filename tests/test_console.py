"""The console chat answers end to end, as `make run` starts it without a token."""

import os
import subprocess
import sys
from pathlib import Path

from tests.support.catalog import tr, trn

ROOT = Path(__file__).resolve().parent.parent
DONE = "Done: I will answer in the language you chose. You can change it any time with /language."


def test_console_answers_start_and_a_button_press_in_kazakh(tmp_path: Path) -> None:
    out = _run_bot(tmp_path, "/start\n1\n/help\n/quit\n")
    assert "[1] Қазақша  [2] Русский" in out
    assert tr(DONE, "kk") in out
    assert "1414" in out
    assert "Мен не істей аламын" in out


def test_console_in_russian_by_label(tmp_path: Path) -> None:
    out = _run_bot(tmp_path, "/start\nРусский\n/photo\n")
    assert tr(DONE, "ru") in out
    assert "Я понимаю только текст" in out


def _run_bot(tmp_path: Path, typed: str, *args: str, env: dict[str, str] | None = None) -> str:
    """`python -m bot <args>` with `typed` on its input, as someone at the terminal."""
    environment = {
        **os.environ,
        "DATABASE_PATH": str(tmp_path / "console.sqlite3"),
        "BOT_TOKEN": "",
        "STAFF_IDS": "",
        "PII_SECRET": "",
        **(env or {}),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=typed,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=180,  # start-up imports are slow on a busy 2-core machine
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _run(tmp_path: Path, typed: str, *args: str, env: dict[str, str] | None = None) -> str:
    return _run_bot(tmp_path, typed, "console", *args, env=env)


def _plain(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "")


def test_console_says_the_user_id_and_staff_flag_makes_an_administrator(tmp_path: Path) -> None:
    plain = _run(tmp_path, "/stats\n")
    assert "You are Telegram user 1000001." in plain
    staff = _run(tmp_path, "/start\n2\n/stats\n", "--staff")
    assert "You are Telegram user 1000001, an administrator for this run" in staff
    # /stats answers staff only; everyone else gets the unknown-command answer.
    assert plain.count("you> /stats") == 1
    assert _after("you> /stats", staff) != _after("you> /stats", plain)


def _after(marker: str, out: str) -> str:
    return out.split(marker, 1)[1].split("you>", 1)[0]


def test_console_demo_finds_the_example_place_in_the_queue_in_both_languages(
    tmp_path: Path,
) -> None:
    steps = "/queue\n1\n900115499900\n"
    for choice, locale in (("1", "kk"), ("2", "ru")):
        (tmp_path / locale).mkdir()
        out = _run(tmp_path / locale, f"/start\n{choice}\n{steps}", "--demo")
        assert "900115499900" in out.split("you>", 1)[0]  # printed before the chat
        reply = _after("you> 900115499900", out)
        assert _plain(tr("<b>Your place in the IVF waiting list</b>", locale)) in reply
        assert _plain(tr("Place in the queue: <b>{position}</b>", locale, position="12")) in reply


def test_console_contact_other_is_refused_as_someone_elses_card(tmp_path: Path) -> None:
    out = _run(tmp_path, "/start\n2\n/queue\n/contact +77021112233 other\n", "--demo")
    refusal = tr(
        "This is someone else's contact card. I show a place in the queue only to its owner: "
        "please press «{button}» to share your own number.",
        "ru",
        button=tr("📱 Share my phone number", "ru"),
    )
    assert refusal in _after("you> /contact +77021112233 other", out)


def test_console_document_carries_its_caption_to_the_staff_import(tmp_path: Path) -> None:
    csv_path = tmp_path / "list.csv"
    rows = "ИИН;Телефон;Место;Статус;Дата\n900115499900;+7 701 123 45 67;5;ожидает;01.11.2026\n"
    csv_path.write_text(rows, encoding="utf-8")
    typed = f"/start\n2\n/document {csv_path} Кызылорда\n"
    out = _run(tmp_path, typed, "--staff", env={"PII_SECRET": "console-test-secret"})
    reply = _after(f"you> /document {csv_path} Кызылорда", out)
    loaded = trn(
        "The list is loaded: {count} row. It replaced the previous list of: {regions}.",
        "ru",
        1,
        count="1",
        regions="Кызылординская область",
    )
    assert loaded in reply
