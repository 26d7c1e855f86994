"""Telegram HTML cut to Telegram's limits without being broken."""

import pytest

from bot.views.core import fit_html


@pytest.mark.parametrize(
    ("html_text", "limit", "expected"),
    [
        # Counted by what Telegram shows: escaped characters count once, tags not at all.
        ("<b>A &amp; B</b> &lt;C&gt;", 9, "<b>A &amp; B</b> &lt;C&gt;"),
        # Never half an entity; an open tag is closed.
        ("<b>&amp;&amp;&amp;&amp;</b>", 3, "<b>&amp;&amp;…</b>"),
        ("<i>Дереккөз: <a href='x'>сайт</a></i>", 12, "<i>Дереккөз: <a href='x'>с…</a></i>"),
        # An emoji is two of Telegram's units.
        ("😀😀😀", 4, "😀…"),
        ("", 5, ""),
    ],
)
def test_html_is_cut_on_visible_text_between_tags_and_entities(
    html_text: str, limit: int, expected: str
) -> None:
    assert fit_html(html_text, limit) == expected
