"""The look: the main menu follows the policy, addresses wrap, every theme is vendored and
complete, and our CSS takes its colours from the theme's tokens."""

import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from leerplicht.accounts.models import Rol
from leerplicht.config import THEMES
from leerplicht.extensions import db
from leerplicht.policy import HOOFDMENU
from leerplicht.rendering import afbreekbaar

import factories as f

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_afbreekbaar_escapes_and_breaks_after_at_and_before_dots():
    """The address stays the same text; <wbr> after @ and before each dot; markup is escaped."""
    html = str(afbreekbaar("jan.de.vries@school<b>.example.nl"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.get_text() == "jan.de.vries@school<b>.example.nl"
    assert soup.find("b") is None  # escaped, not a tag
    assert len(soup.find_all("wbr")) == 5
    assert "@<wbr>" in html and "<wbr>.nl" in html


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab.@/<>&'\" é\u202e")), max_size=40))
def test_afbreekbaar_keeps_any_text_and_adds_only_wbr(tekst):
    """Any text: the same text back, no tag but <wbr>: one after each @ and each run of /,
    one before each dot."""
    # Between "x" and "x": the parser drops a text node of only white space.
    soup = BeautifulSoup(f"<p>x{afbreekbaar(tekst)}x</p>", "html.parser").p
    assert soup.get_text() == f"x{tekst}x"
    assert {tag.name for tag in soup.find_all(True)} <= {"wbr"}  # below the <p>
    verwacht = tekst.count("@") + tekst.count(".") + len(re.findall(r"/+", tekst))
    assert len(soup.find_all("wbr")) == verwacht


@pytest.mark.parametrize("leeg", [None, ""])
def test_afbreekbaar_empty(leeg):
    """Nothing in, nothing out."""
    assert str(afbreekbaar(leeg)) == ""


@pytest.fixture
def gebruikers(app):
    """One user per role; the school user belongs to one school."""
    with app.app_context():
        f.schooljaar("2026-2027")
        school = f.school(code="21XA00")
        f.gebruiker(Rol.BEHEERDER, "beheer@example.nl")
        f.gebruiker(Rol.LLZ, "llz@example.nl")
        f.gebruiker(Rol.SCHOOL, "school@example.nl", scholen=[school])
        db.session.commit()


def _menu(soup) -> list[str]:
    """The labels of the main menu."""
    return [a.get_text(strip=True) for a in soup.select("nav[aria-label=Hoofdmenu] a")]


@pytest.mark.parametrize(
    ("email", "verwacht"),
    [
        ("beheer@example.nl", [label for _, label in HOOFDMENU]),
        ("llz@example.nl", ["Start", "Scholen", "Afsprakenlijsten", "Escalaties", "Termijnen",
                             "Jaarplanning", "Klankbordgroep", "Jaarverslag", "Werkafspraken"]),
        ("school@example.nl", ["Start", "Scholen", "Klankbordgroep", "Werkafspraken"]),
    ],
    ids=["beheerder", "llz", "school"],
)
def test_main_menu_follows_the_policy(client, gebruikers, email, verwacht):
    """Each role sees the items whose view it may open; the account sits under the user's name."""
    client.login(email)
    soup = client.soup("/scholen/")
    assert _menu(soup) == verwacht
    huidig = soup.select("nav[aria-label=Hoofdmenu] a[aria-current=page]")
    assert [a.get_text(strip=True) for a in huidig] == ["Scholen"]
    kop = soup.select_one("header.utrecht-page-header")
    assert kop.find("a", string="Mijn account") is not None
    assert kop.select_one("form button").get_text(strip=True) == "Uitloggen"
    # Every menu item opens for this user.
    for a in soup.select("nav[aria-label=Hoofdmenu] a"):
        assert client.get(a["href"]).status_code == 200, a["href"]


def test_no_menu_when_logged_out(client):
    """The login page has no main menu."""
    soup = client.soup("/inloggen")
    assert soup.select("nav[aria-label=Hoofdmenu]") == []


@pytest.mark.parametrize("thema", sorted(THEMES))
def test_theme_is_a_setting(second_app, thema):
    """The page links the theme's vendored stylesheet and puts its class on <html>."""
    other = second_app(THEME=thema)
    css, klasse = THEMES[thema]
    soup = BeautifulSoup(other.test_client().get("/inloggen").text, "html.parser")
    assert klasse in soup.html["class"]
    assert soup.find("link", href=f"/static/{css}") is not None
    inhoud = (STATIC / css).read_text(encoding="utf-8")
    assert f".{klasse}" in inhoud  # the tokens are scoped to that class


def test_vendored_files_match_their_checksums():
    """static/vendor/SHA256SUMS lists every vendored file with its current hash."""
    vendor = STATIC / "vendor"
    regels = (vendor / "SHA256SUMS").read_text().splitlines()
    gelijst = {}
    for regel in regels:
        som, pad = regel.split(maxsplit=1)
        gelijst[pad.removeprefix("./")] = som
    bestanden = {str(p.relative_to(vendor)) for p in vendor.rglob("*")
                 if p.is_file() and p.name != "SHA256SUMS"}
    assert set(gelijst) == bestanden
    for pad, som in gelijst.items():
        assert hashlib.sha256((vendor / pad).read_bytes()).hexdigest() == som, pad


def _zonder_fallbacks(css: str) -> str:
    """The CSS with comments, custom-property definitions and var() fallbacks removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"--[\w-]+\s*:[^;}]*", "", css)  # definitions map theme tokens
    vorige = None
    while vorige != css:  # innermost var(--token, fallback) first
        vorige = css
        css = re.sub(r"var\(--[\w-]+(?:,[^()]*)?\)", "", css)
    return css


def test_our_css_takes_colours_from_tokens():
    """No hard-coded colour in app.css except in a token definition or a var() fallback."""
    rest = _zonder_fallbacks((STATIC / "css" / "app.css").read_text(encoding="utf-8"))
    gevonden = re.findall(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(", rest)
    assert gevonden == []
