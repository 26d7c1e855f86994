"""Synthetic test data: valid IINs and queue files (never real people's numbers)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bot.services.iin import control_digit

HEADER = "ИИН;Телефон;Регион;Место в очереди;Статус;Дата списка"


def synthetic_iins(start: int = 0) -> Iterator[str]:
    """Valid IINs (control digit per FACTS.md E5): birth date 1990-01-15, serials from `start`."""
    serial = start
    while True:
        first_eleven = f"9001154{serial:04d}" if serial < 10_000 else f"9{serial:010d}"
        serial += 1
        check = control_digit(first_eleven)
        if check is not None:
            yield first_eleven + str(check)


def with_wrong_control_digit(iin: str) -> str:
    return iin[:11] + str((int(iin[11]) + 1) % 10)


def queue_csv(
    rows: Sequence[Sequence[str]],
    header: str | None = HEADER,
    delimiter: str = ";",
    bom: bool = False,
) -> bytes:
    lines = [header.replace(";", delimiter)] if header else []
    lines += [delimiter.join(row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
