"""Relative links in the export: the helpers templates use, and the check of every link written.

Every link in an exported tree is relative to the page it is on, so the tree works from any
sub-path of a website and straight from disk (file://). Templates get `link(pad)` and
`asset(naam)` instead of `url_for`; `url_for` itself fails loudly, because a link into the app
(edit buttons, history) has no place in a static file.
"""

import html
import posixpath
import re
from urllib.parse import quote, unquote, urlsplit

from .doelen import ExportFout

EXTERN = ("http:", "https:", "mailto:", "tel:", "data:")
# Our templates quote every attribute, so a pattern is enough (and far faster than parsing 8000
# pages); the tests check the same with a real HTML parser. A pattern that starts with a
# literal (space, newline) is scanned for quickly: 50 instead of 300 µs per page.
ATTRIBUUT = re.compile(r""" (href|src|id)=(?:"([^"]*)"|'([^']*)')""")
ATTRIBUUT_OP_NIEUWE_REGEL = re.compile(r"""\n\s*(href|src|id)=(?:"([^"]*)"|'([^']*)')""")
LOC = re.compile(r"<loc>([^<]*)</loc>")


VEILIG = re.compile(r"[A-Za-z0-9._/-]*")


def _relatief_pad(map_: str, pad: str) -> str:
    """The relative, URL-quoted path from folder `map_` to file `pad`, both in the tree.

    Called for every link of every page (8000 on an index), so no os.path.relpath (which asks
    the operating system for the working directory twice).
    """
    van = map_.split("/") if map_ else []
    naar = pad.split("/")
    gedeeld = 0
    while gedeeld < len(van) and gedeeld < len(naar) - 1 and van[gedeeld] == naar[gedeeld]:
        gedeeld += 1
    url = "/".join([".."] * (len(van) - gedeeld) + naar[gedeeld:])
    return url if VEILIG.fullmatch(url) else quote(url)


def relatief(van: str, naar: str) -> str:
    """The URL of file `naar` (optionally with '#anker') as seen from page `van`, same tree."""
    pad, _, anker = naar.partition("#")
    url = _relatief_pad(posixpath.dirname(van), pad)
    return f"{url}#{anker}" if anker else url


def geen_url_for(endpoint: str, **_values):
    """Stands in for url_for in exported pages: a link into the app must not be exported."""
    raise ExportFout(
        f"Een template gebruikt url_for('{endpoint}') in de export. Links naar de app horen "
        "niet in een geëxporteerde pagina: zet ze binnen {% if not export %} … {% endif %}."
    )


def helpers(pad: str, assets: dict[str, str]) -> dict:
    """The link functions of one exported page (bound to its place in the tree)."""

    def link(doel: str) -> str:
        """Relative URL of another page of this tree ('index.html', 'scholen/21XA00.html#x')."""
        return relatief(pad, doel)

    def asset(naam: str) -> str:
        """Relative URL of a copied static file, by its name under static/."""
        try:
            return relatief(pad, assets[naam])
        except KeyError:
            raise ExportFout(f"het bestand {naam} staat niet in de assets van dit doel") from None

    # `wortel` (the way back to the tree's root) lets long lists write their links without a
    # call per row: href="{{ wortel }}{{ school.pad }}".
    wortel = "../" * pad.count("/")
    return {"link": link, "asset": asset, "wortel": wortel, "url_for": geen_url_for,
            "export": True}


def _oplossen(map_: str, url: str, basis_url: str = "") -> str:
    """Resolve a link found in folder `map_` to 'path#anchor' in the tree; ExportFout if it
    is not relative or leaves the tree."""
    if basis_url and url.startswith(basis_url):
        url = url[len(basis_url):]
    if VEILIG.fullmatch(url) and url and not url.startswith("/"):
        if "./" not in url:
            return f"{map_}/{url}" if map_ else url  # the usual case, quickly
        # Up first, then down ('../scholen/21XA00.html' on an index one folder deep): the
        # same as normpath below for such a link, without parsing it (thousands per index).
        rest, omhoog = url, 0
        while rest.startswith("../"):
            rest, omhoog = rest[3:], omhoog + 1
        delen = map_.split("/") if map_ else []
        if rest and not rest.startswith("/") and "./" not in rest and rest != ".." \
                and omhoog <= len(delen):
            return "/".join([*delen[:len(delen) - omhoog], rest])
    delen = urlsplit(url)
    if delen.scheme or delen.netloc or url.startswith("/"):
        raise ExportFout(f"link '{url}' is niet relatief")
    doel = posixpath.normpath(posixpath.join(map_, unquote(delen.path)))
    if doel == ".." or doel.startswith("../"):
        raise ExportFout(f"link '{url}' wijst buiten deze map")
    return f"{doel}#{delen.fragment}" if delen.fragment else doel


# Resolved links by (folder, url, basis_url): every dossier page links the same stylesheets,
# index and LLZ pages, so most links were resolved thousands of times. Errors are not kept.
_OPGELOST: dict[tuple[str, str, str], str] = {}
_OPGELOST_MAX = 100_000


def links_en_ankers(pad: str, tekst: str, basis_url: str = "") -> tuple[list, list, list]:
    """The internal links (resolved to 'path#anchor'), the ids and the link errors of a page."""
    if pad.endswith(".xml"):
        gevonden = [("loc", url, "") for url in LOC.findall(tekst)]
    else:
        gevonden = ATTRIBUUT.findall(tekst) + ATTRIBUUT_OP_NIEUWE_REGEL.findall(tekst)
    links, ankers, fouten = set(), set(), []
    map_ = posixpath.dirname(pad)
    for naam, dubbel, enkel in gevonden:
        ruw = dubbel or enkel
        if naam == "id":
            ankers.add(html.unescape(ruw) if "&" in ruw else ruw)
            continue
        url = html.unescape(ruw) if "&" in ruw else ruw
        if url.startswith(EXTERN) and not (basis_url and url.startswith(basis_url)):
            continue
        if url.startswith("#"):
            links.add(pad + url)  # an anchor on the same page
            continue
        sleutel = (map_, url, basis_url)
        doel = _OPGELOST.get(sleutel)
        if doel is None:
            try:
                doel = _oplossen(map_, url, basis_url)
            except ExportFout as fout:
                fouten.append(f"{pad}: {fout}")
                continue
            if len(_OPGELOST) >= _OPGELOST_MAX:
                _OPGELOST.clear()
            _OPGELOST[sleutel] = doel
        links.add(doel)
    return sorted(links), sorted(ankers), fouten


def _te_controleren(bestanden: dict[str, dict], vorige: dict[str, dict] | None) -> list[str]:
    """The files whose links must be checked: all of them, or, when the tree only grew, only
    those whose links changed.

    The live build `vorige` passed this check before it went live. When every file of it is
    still there and has at least its anchors, each link that was valid there is valid here
    too: only files with new or other links need checking (a one-school re-export: that
    school's page and the indexes instead of every link of 8000 pages).
    """
    if not vorige:
        return sorted(bestanden)
    veranderd = []
    for pad, oud in vorige.items():
        nieuw = bestanden.get(pad)
        if nieuw is oud:
            continue  # carried over: the same entry
        if nieuw is None or not set(oud.get("ankers", ())) <= set(nieuw.get("ankers", ())):
            return sorted(bestanden)  # a file or an anchor is gone: check every link
        if nieuw.get("links") != oud.get("links"):
            veranderd.append(pad)
    veranderd += [pad for pad in bestanden if pad not in vorige]
    return sorted(veranderd)


def controleer_links(
    bestanden: dict[str, dict], vorige: dict[str, dict] | None = None
) -> list[str]:
    """Every internal link of every file resolves to a file of the tree and an existing anchor.

    With `vorige` (the live build's files, checked when it went live), only the links that can
    have become invalid are checked (see _te_controleren)."""
    fouten = []
    ankers: dict[str, set] = {}
    for pad in _te_controleren(bestanden, vorige):
        for link in bestanden[pad].get("links", ()):
            doel, _, anker = link.partition("#")
            if doel not in bestanden:
                fouten.append(f"{pad}: link naar {doel}, maar dat bestand bestaat niet")
                continue
            if anker:
                if doel not in ankers:
                    ankers[doel] = set(bestanden[doel].get("ankers", ()))
                if anker not in ankers[doel]:
                    fouten.append(f"{pad}: link naar {doel}#{anker}, maar dat anker bestaat niet")
    return fouten
