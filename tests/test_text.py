"""Free-text rules: the BSN eleven-test guard and Markdown sanitising."""

import pytest
from bs4 import BeautifulSoup

from leerplicht.text import bevat_bsn, is_bsn, markdown_naar_html


@pytest.mark.parametrize(
    ("value", "expected"),
    [("111222333", True), ("123456782", True), ("123456789", False), ("000000000", False),
     ("12345678", False), ("1112223334", False), ("abcdefghi", False)],
)
def test_elfproef(value, expected):
    """Nine digits whose weighted sum (9..2, last digit -1) is divisible by 11."""
    assert is_bsn(value) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Leerling 111222333 is vaak afwezig", True),
        ("BSN: 111.222.333", True),
        ("nummer 1112-22-333", True),
        ("Bel 0612345678 of 070-1234567", False),
        ("Vergadering op 12-03-2026 om 9.30", False),
        ("Postcode 2511 AB, huisnummer 12", False),
        ("Code 1112223334 is te lang", False),
    ],
    ids=["kaal", "punten", "streepjes", "telefoon", "datum", "postcode", "tien-cijfers"],
)
def test_bsn_detection_in_free_text(text, expected):
    """A BSN-like number is found in several notations; ordinary numbers are not."""
    assert bevat_bsn(text) is expected


XSS = [
    "<script>alert(1)</script>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<svg onload=alert(1)>",
    '<a hx-get="/uitloggen" hx-trigger="load">x</a>',
    '<a data-hx-get="/uitloggen" data-hx-trigger="load">x</a>',
    "![plaatje](https://evil.example/track.png)",
    "<h1 id=main class=evil>Kop</h1>",
]


@pytest.mark.parametrize("payload", XSS)
def test_markdown_output_is_sanitised(payload):
    """No script, handler, style, image, hx-* attribute or dangerous URL survives."""
    soup = BeautifulSoup(markdown_naar_html(payload), "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in {"script", "img", "iframe", "svg", "style", "div", "h1"}
        for attribute, value in tag.attrs.items():
            assert not attribute.startswith(("on", "hx-", "data-", "style", "class", "id"))
            if attribute == "href":
                assert value.split(":")[0].lower() in {"http", "https", "mailto"} or (
                    ":" not in value
                )


def test_markdown_keeps_ordinary_formatting():
    """Lists, emphasis, tables and safe links render; links get rel=noopener nofollow."""
    html = markdown_naar_html(
        "**Let op**\n\n- een\n- twee\n\n[LLZ](https://example.nl)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("strong").get_text() == "Let op"
    assert [li.get_text() for li in soup.select("ul li")] == ["een", "twee"]
    link = soup.select_one("a")
    assert link["href"] == "https://example.nl"
    assert set(link["rel"]) == {"noopener", "noreferrer", "nofollow"}
    assert soup.select_one("table td").get_text() == "1"
