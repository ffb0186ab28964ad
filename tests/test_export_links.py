"""The export's link check: resolving relative links quickly, and checking only what can have
become invalid since the live build (which passed the same check when it went live)."""

import posixpath
from urllib.parse import unquote, urlsplit

import pytest

from leerplicht.export.doelen import ExportFout
from leerplicht.export.links import _oplossen, _te_controleren, controleer_links


def _langzaam(map_: str, url: str) -> str:
    """What normpath makes of a link (the general path of _oplossen)."""
    delen = urlsplit(url)
    doel = posixpath.normpath(posixpath.join(map_, unquote(delen.path)))
    return f"{doel}#{delen.fragment}" if delen.fragment else doel


@pytest.mark.parametrize("map_, url", [
    ("llz", "../scholen/21XA00.html"),
    ("llz", "../index.html"),
    ("a/b", "../../index.html"),
    ("a/b", "../c/d.html"),
    ("a/b/c", "../../x/y.css"),
    ("scholen", "21XA00.html"),
    ("", "scholen/21XA00.html"),
    ("llz", "../scholen/./21XA00.html"),
    ("llz", "../scholen/../index.html"),
    ("llz", "../scholen%2021.html"),
])
def test_quick_resolution_equals_normpath(map_, url):
    """The quick paths give what normpath gives."""
    assert _oplossen(map_, url) == _langzaam(map_, url)


@pytest.mark.parametrize("map_, url", [("llz", "../../weg.html"), ("", "../weg.html"),
                                       ("llz", "../..")])
def test_a_link_out_of_the_tree_is_still_refused(map_, url):
    """Going up past the tree's root fails, on the quick path too."""
    with pytest.raises(ExportFout, match="buiten deze map"):
        _oplossen(map_, url)


def _boom() -> dict[str, dict]:
    """A small live build that passes the check."""
    return {
        "index.html": {"links": ["scholen/a.html", "scholen/b.html#kop"], "ankers": ["top"]},
        "scholen/a.html": {"links": ["index.html#top"], "ankers": ["kop"]},
        "scholen/b.html": {"links": ["index.html"], "ankers": ["kop"]},
    }


def test_only_files_with_new_links_are_checked_when_the_tree_only_grew():
    """Carried-over files (the same entries) and re-rendered ones with the same links and at
    least their anchors: nothing can have broken there."""
    vorige = _boom()
    assert controleer_links(vorige) == []
    bestanden = dict(vorige)
    bestanden["scholen/a.html"] = {"links": ["index.html#top"], "ankers": ["kop", "nieuw"]}
    bestanden["scholen/b.html"] = {"links": ["index.html", "scholen/a.html#nieuw"],
                                   "ankers": ["kop"]}
    bestanden["scholen/c.html"] = {"links": ["index.html"]}
    assert _te_controleren(bestanden, vorige) == ["scholen/b.html", "scholen/c.html"]
    assert controleer_links(bestanden, vorige) == []


def test_a_new_broken_link_is_found_by_the_short_check():
    """A changed file's links are checked in full."""
    vorige = _boom()
    bestanden = {**vorige, "scholen/b.html": {"links": ["scholen/z.html", "index.html#weg"],
                                              "ankers": ["kop"]}}
    assert controleer_links(bestanden, vorige) == controleer_links(bestanden) == [
        "scholen/b.html: link naar scholen/z.html, maar dat bestand bestaat niet",
        "scholen/b.html: link naar index.html#weg, maar dat anker bestaat niet",
    ]


def test_a_lost_anchor_or_file_checks_every_link_again():
    """An anchor gone from a re-rendered file, or a file gone: the unchanged files that link
    there are found too."""
    vorige = _boom()
    zonder_anker = {**vorige, "scholen/b.html": {"links": ["index.html"], "ankers": ["ander"]}}
    assert _te_controleren(zonder_anker, vorige) == sorted(zonder_anker)
    assert controleer_links(zonder_anker, vorige) == [
        "index.html: link naar scholen/b.html#kop, maar dat anker bestaat niet",
    ]
    zonder_bestand = {p: i for p, i in vorige.items() if p != "scholen/a.html"}
    assert controleer_links(zonder_bestand, vorige) == [
        "index.html: link naar scholen/a.html, maar dat bestand bestaat niet",
    ]


def test_without_a_live_build_every_link_is_checked():
    """The first export checks everything."""
    bestanden = _boom()
    assert _te_controleren(bestanden, {}) == _te_controleren(bestanden, None) == sorted(bestanden)
