"""The brochure's text: content/brochure/*.md with the norms filled in, rendered and sanitised.

The Markdown files hold three kinds of placeholders, filled in before Markdown sees the text:
`{{ norm.SLEUTEL }}` (a norm of the version valid in the schooljaar: "5 werkdagen"),
`{{ meldingselementen }}` (on a line of its own: the nine elements as a bullet list) and
`{{ gemeente }}`. Anything else between double braces fails the build with file and line.
The numbered files are the chapters, in file order; toegankelijkheid.md is the accessibility
statement.
"""

import html
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import markdown
import nh3
from markdown.extensions.toc import slugify
from markupsafe import Markup

from ..config import PROJECT_ROOT
from ..normen import Normversie
from .doelen import ExportFout
from .stempels import digest

PLEK = re.compile(r"\{\{(.*?)\}\}")
HOOFDSTUK = re.compile(r"^\d+-(?P<slug>[a-z0-9-]+)\.md$")
TOEGANKELIJKHEID = "toegankelijkheid.md"
# Ids the page templates use themselves; a heading never takes one of them.
VASTE_IDS = {"inhoud", "inhoudsopgave", "publicatie"}

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "p", "br", "hr", "em", "strong", "ul", "ol", "li", "a",
    "code", "blockquote", "table", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTEN = {
    **{kop: {"id"} for kop in ("h1", "h2", "h3", "h4", "h5")},
    "a": {"href", "title"}, "th": {"align"}, "td": {"align"},
}


class BrochureFout(ExportFout):
    """The brochure sources contain errors; `fouten` lists them, each with file and line."""

    def __init__(self, fouten: list[str]):
        """Keep the list of errors; the message lists them all."""
        super().__init__("De brochure bevat fouten:\n" + "\n".join(f"  {f}" for f in fouten))
        self.fouten = fouten


@dataclass(frozen=True)
class Kop:
    """A heading of a chapter, for the table of contents."""

    anker: str
    tekst: str


@dataclass(frozen=True)
class Hoofdstuk:
    """One Markdown file, rendered: its title, anchor, sub-headings and sanitised HTML."""

    bron: str
    titel: str
    anker: str
    koppen: tuple[Kop, ...]
    html: Markup


@dataclass(frozen=True)
class Brochure:
    """The whole brochure as the templates show it, for one schooljaar and its norms."""

    schooljaar: str
    normen: Normversie
    gemeente: str
    hoofdstukken: tuple[Hoofdstuk, ...]
    toegankelijkheid: Hoofdstuk

    @property
    def vastgesteld_op(self) -> date | None:
        """The day the norms version was agreed, if the norms file says."""
        try:
            return date.fromisoformat(self.normen.vastgesteld_op)
        except ValueError:
            return None

    @property
    def inhoud(self) -> str:
        """Fingerprint of the brochure's text (what 'gewijzigd' is about, not its layout)."""
        return digest(
            self.schooljaar, self.normen.versie, self.normen.geldig_vanaf,
            self.normen.vastgesteld_op, *(h.html for h in self.hoofdstukken),
        )


def _label(pad: Path) -> str:
    """A source file as the person editing it knows it: relative to the project if inside."""
    try:
        return str(pad.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(pad)


def _markdown_tekst(waarde: str) -> str:
    """A value as literal Markdown text: no markup of its own."""
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", html.escape(waarde, quote=False))


def invullen(tekst: str, label: str, normen: Normversie, gemeente: str) -> tuple[str, list[str]]:
    """Fill in the placeholders of one source; return the text and the errors (file, line)."""
    bekend = ", ".join(sorted(normen.normen))
    regels, fouten = [], []
    for nummer, regel in enumerate(tekst.splitlines(), 1):
        waar = f"{label}, regel {nummer}"

        def vervang(match: re.Match, regel=regel, waar=waar) -> str:
            """The text for one placeholder (errors are collected, the placeholder kept)."""
            naam = match[1].strip()
            if naam == "gemeente":
                return _markdown_tekst(gemeente)
            if naam == "meldingselementen":
                if regel.strip() != match[0]:
                    fouten.append(f"{waar}: {{{{ meldingselementen }}}} moet op een eigen regel "
                                  "staan (het wordt een opsomming)")
                return "\n".join(f"- {_markdown_tekst(e)}" for e in normen.meldingselementen)
            soort, _, sleutel = naam.partition(".")
            if soort == "norm" and sleutel in normen.normen:
                return _markdown_tekst(str(normen[sleutel]))
            if soort == "norm":
                fouten.append(f"{waar}: onbekende norm '{sleutel}' in {match[0]}; "
                              f"normen in content/normen.toml: {bekend}")
            else:
                fouten.append(f"{waar}: onbekende invulplek {match[0]}; gebruik "
                              "{{ norm.SLEUTEL }}, {{ meldingselementen }} of {{ gemeente }}")
            return match[0]

        ingevuld = PLEK.sub(vervang, regel)
        rest = PLEK.sub("", regel)
        if any(teken in rest for teken in ("{{", "}}", "{%", "%}")):
            fouten.append(f"{waar}: losse accolades of sjabloonopmaak; een invulplek schrijft "
                          "u als {{ norm.SLEUTEL }}")
        regels.append(ingevuld)
    return "\n".join(regels) + "\n", fouten


class _Ankers:
    """Heading ids that are unique over the whole brochure page, not just one file."""

    def __init__(self):
        """Start with the ids the templates use themselves."""
        self.gebruikt = set(VASTE_IDS)

    def __call__(self, tekst: str, separator: str) -> str:
        """Python-Markdown's slug, numbered on when already taken."""
        basis = slugify(tekst, separator) or "kop"
        kandidaat, volgnummer = basis, 1
        while kandidaat in self.gebruikt:
            volgnummer += 1
            kandidaat = f"{basis}-{volgnummer}"
        self.gebruikt.add(kandidaat)
        return kandidaat


def _hoofdstuk(bron: str, tekst: str, basisniveau: int, ankers: _Ankers) -> Hoofdstuk:
    """Render one filled-in source; its first heading is the chapter title."""
    md = markdown.Markdown(
        extensions=["toc", "sane_lists", "tables"],
        extension_configs={"toc": {"baselevel": basisniveau, "slugify": ankers}},
    )
    schoon = nh3.clean(
        md.convert(tekst), tags=TAGS, attributes=ATTRIBUTEN,
        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer",
    )
    tokens = md.toc_tokens
    if len(tokens) != 1 or tokens[0]["level"] != basisniveau:
        raise BrochureFout([f"{bron}: begin met één kop '# Titel' en gebruik daarna '##'"])
    kop = tokens[0]
    return Hoofdstuk(
        bron=bron,
        titel=html.unescape(kop["name"]),
        anker=kop["id"],
        koppen=tuple(Kop(k["id"], html.unescape(k["name"])) for k in kop["children"]),
        html=Markup(schoon),
    )


def lees_brochure(map_: Path, normen: Normversie, gemeente: str, schooljaar: str) -> Brochure:
    """Read, fill in and render every source; BrochureFout lists every error at once."""
    bestanden = sorted(p for p in Path(map_).glob("*.md") if HOOFDSTUK.match(p.name))
    verklaring = Path(map_) / TOEGANKELIJKHEID
    if not bestanden or not verklaring.is_file():
        raise BrochureFout([f"{_label(Path(map_))}: hoofdstukken (01-naam.md, …) of "
                            f"{TOEGANKELIJKHEID} ontbreken"])
    ingevuld, fouten = {}, []
    for pad in [*bestanden, verklaring]:
        tekst, eigen = invullen(pad.read_text(encoding="utf-8"), _label(pad), normen, gemeente)
        ingevuld[pad] = tekst
        fouten += eigen
    if fouten:
        raise BrochureFout(fouten)
    ankers = _Ankers()
    hoofdstukken = tuple(_hoofdstuk(_label(p), ingevuld[p], 2, ankers) for p in bestanden)
    return Brochure(
        schooljaar=schooljaar,
        normen=normen,
        gemeente=gemeente,
        hoofdstukken=hoofdstukken,
        toegankelijkheid=_hoofdstuk(_label(verklaring), ingevuld[verklaring], 1, _Ankers()),
    )
