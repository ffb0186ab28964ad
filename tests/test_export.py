"""`leerplicht export`: the brochure and the dossiers as static files, checked as a reader would.

Pages are parsed with BeautifulSoup; links are followed on disk, independently of the
exporter's own link check.
"""

import os
import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, select, update

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.models import Afspraak, Afsprakenlijst, Status
from leerplicht.config import PROJECT_ROOT
from leerplicht.demo import vul_demo
from leerplicht.export import bouwen, schrijven
from leerplicht.export.brochuretekst import BrochureFout, invullen, lees_brochure
from leerplicht.export.doelen import ExportFout
from leerplicht.export.uitvoer import Uitvoermap
from leerplicht.extensions import db
from leerplicht.normen import laad_normen, standaard_normen_pad
from leerplicht.scholen.dossier import SECTIES, DossierSectie, registreer_sectie, secties
from leerplicht.scholen.models import Contactpersoon, Contactrol, Kant, School, Toewijzing

import factories as f

BRONNEN = PROJECT_ROOT / "content" / "brochure"
EXTERN = ("http:", "https:", "mailto:", "tel:", "data:")


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture
def demo(app):
    """The demo municipality: 12 schools of every sector, contacts, afsprakenlijsten."""
    with app.app_context():
        vul_demo(12)
    return app


def exporteer(app, uit: Path, **opties) -> dict:
    """Run the exporter in-process; return the results per target."""
    with app.app_context():
        return {r.doel: r for r in bouwen.exporteer(app, uit, bouwen.Opties(**opties))}


def bestanden(boom: Path) -> dict[str, bytes]:
    """Every file of a tree (following the live symlink) by relative path, with its bytes."""
    return {
        str(pad.relative_to(boom)): pad.read_bytes()
        for pad in sorted(boom.rglob("*")) if pad.is_file()
    }


def lees(pad: Path) -> BeautifulSoup:
    """Parse an exported page."""
    return BeautifulSoup(pad.read_text(encoding="utf-8"), "html.parser")


def gebroken_links(boom: Path) -> list[str]:
    """Follow every href/src of every page on disk: relative, inside the tree, file and anchor
    exist. Uses a real HTML parser, not the exporter's own check."""
    boom = boom.resolve()
    ids: dict[Path, set] = {}

    def ids_van(pad: Path) -> set:
        """The ids of a page (parsed once)."""
        if pad not in ids:
            ids[pad] = {tag["id"] for tag in lees(pad).select("[id]")}
        return ids[pad]

    fouten = []
    for pagina in sorted(boom.rglob("*.html")):
        for tag in lees(pagina).select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            if url.startswith(EXTERN):
                continue
            delen = urlsplit(url)
            if delen.scheme or url.startswith("/"):
                fouten.append(f"{pagina.name}: {url} is niet relatief")
                continue
            doel = (pagina.parent / unquote(delen.path)).resolve() if delen.path else pagina
            if not doel.is_relative_to(boom):
                fouten.append(f"{pagina.name}: {url} wijst buiten de map")
            elif not doel.is_file():
                fouten.append(f"{pagina.name}: {url} bestaat niet")
            elif delen.fragment and delen.fragment not in ids_van(doel):
                fouten.append(f"{pagina.name}: anker {url} bestaat niet")
    return fouten


@pytest.fixture
def extra_sectie():
    """Register a dossier section for one test, and remove it afterwards."""
    namen = []

    def registreer(app, naam: str, template: str, laad, **extra):
        """Register section `naam` with an inline template and a loader."""
        from jinja2 import ChoiceLoader, DictLoader

        app.jinja_env.loader = ChoiceLoader(
            [DictLoader({f"test/{naam}.html": template}), app.jinja_env.loader]
        )
        registreer_sectie(DossierSectie(naam=naam, titel=naam.title(),
                                        template=f"test/{naam}.html", laad=laad, **extra))
        namen.append(naam)

    yield registreer
    for naam in namen:
        SECTIES.pop(naam, None)


# --- the brochure text: placeholders ---------------------------------------------------------


def test_placeholders_are_filled_from_the_norms():
    """Norms, the nine elements of a melding and the municipality end up in the text."""
    normen = laad_normen(standaard_normen_pad()).voor_schooljaar("2026-2027")
    brochure = lees_brochure(BRONNEN, normen, "Gemeente Zeevliet", "2026-2027")
    html = "".join(h.html for h in brochure.hoofdstukken)
    assert "{{" not in html and "}}" not in html
    assert f"binnen {normen['vragen_beantwoorden']} antwoord" in html
    assert "binnen 3 werkdagen op de hoogte" in html
    assert "afdeling van Gemeente Zeevliet" in html
    melding = BeautifulSoup(brochure.hoofdstukken[4].html, "html.parser")
    items = [li.get_text() for li in melding.select("ul")[1].select("li")]
    assert items == list(normen.meldingselementen) and len(items) == 9
    assert [h.titel for h in brochure.hoofdstukken][0] == "Samen tegen schoolverzuim"
    assert brochure.toegankelijkheid.titel == "Toegankelijkheid"


@pytest.mark.parametrize(
    ("regel", "melding"),
    [
        ("Binnen {{ norm.bestaat_niet }} antwoord.", "onbekende norm 'bestaat_niet'"),
        ("Groeten van {{ burgemeester }}.", "onbekende invulplek {{ burgemeester }}"),
        ("Zie {{ norm.vragen_beantwoorden.", "losse accolades"),
        ("{% if waar %}geheim{% endif %}", "losse accolades"),
        ("Let op: {{ meldingselementen }} en meer.", "moet op een eigen regel staan"),
    ],
)
def test_unknown_placeholder_names_file_and_line(tmp_path, regel, melding):
    """Anything but the three kinds of placeholder fails with file name and line number."""
    bronnen = tmp_path / "brochure"
    shutil.copytree(BRONNEN, bronnen)
    hoofdstuk = bronnen / "04-tijdens-schooljaar.md"
    regels = hoofdstuk.read_text(encoding="utf-8").splitlines()
    regels.insert(6, regel)  # becomes line 7
    hoofdstuk.write_text("\n".join(regels) + "\n", encoding="utf-8")
    normen = laad_normen(standaard_normen_pad()).voor_schooljaar("2026-2027")
    with pytest.raises(BrochureFout) as fout:
        lees_brochure(bronnen, normen, "Gemeente Zeevliet", "2026-2027")
    assert len(fout.value.fouten) == 1
    assert f"{hoofdstuk}, regel 7: " in fout.value.fouten[0]
    assert melding in fout.value.fouten[0]


def test_every_error_is_listed_at_once():
    """Two bad placeholders in two places: both are reported."""
    normen = laad_normen(standaard_normen_pad()).voor_schooljaar("2026-2027")
    tekst, fouten = invullen("a {{ x }}\n\nb {{ norm.y }}\n", "bron.md", normen, "G")
    assert [f.split(":")[0] for f in fouten] == ["bron.md, regel 1", "bron.md, regel 3"]


def test_values_are_text_not_markup():
    """A municipality name with Markdown or HTML in it is shown literally."""
    normen = laad_normen(standaard_normen_pad()).voor_schooljaar("2026-2027")
    tekst, fouten = invullen("{{ gemeente }}", "bron.md", normen, "*Stad* <b>&</b>")
    assert not fouten
    import markdown

    assert markdown.markdown(tekst) == "<p>*Stad* &lt;b&gt;&amp;&lt;/b&gt;</p>"


# --- the exported trees ------------------------------------------------------------------------


def test_export_writes_brochure_and_dossiers(demo, tmp_path):
    """brochure/ and dossiers/ are symlinks to complete builds with what the issue lists."""
    resultaten = exporteer(demo, tmp_path / "uit")
    brochure, dossiers = tmp_path / "uit" / "brochure", tmp_path / "uit" / "dossiers"
    assert brochure.is_symlink() and dossiers.is_symlink()
    assert resultaten["dossiers"].geschreven == len(bestanden(dossiers))

    index = lees(brochure / "index.html")
    assert index.select_one("h1").get_text() == "Werkafspraken Leerlingzaken en scholen"
    versie = index.select_one(".brochure__versie").get_text(" ", strip=True)
    assert "Versie 1" in versie and "geldig vanaf schooljaar 2018-2019" in versie
    publicatie = index.select("#publicatie time")
    assert [t["datetime"] for t in publicatie] == [date.today().isoformat()] * 2
    toc = [a["href"] for a in index.select("nav.brochure__inhoudsopgave a")]
    assert len(toc) > 7 and all(href.startswith("#") for href in toc)
    assert len(index.select("section.brochure__hoofdstuk")) == 7
    assert index.select_one("footer a[href='toegankelijkheid.html']")
    assert lees(brochure / "toegankelijkheid.html").select_one("h1").get_text() == (
        "Toegankelijkheid"
    )
    sitemap = (brochure / "sitemap.xml").read_text()
    assert "<loc>index.html</loc>" in sitemap and "<loc>toegankelijkheid.html</loc>" in sitemap

    # Stylesheets carry their content hash in the name; the print stylesheet is there.
    css = [link["href"] for link in index.select("link[rel=stylesheet]")]
    assert all(re.search(r"\.[0-9a-f]{12}\.css$", href) for href in css)
    assert index.select("link[rel=stylesheet][media=print]")

    with demo.app_context():
        codes = set(db.session.scalars(select(School.code)))
    assert {p.stem for p in (dossiers / "scholen").glob("*.html")} == codes
    overzicht = lees(dossiers / "index.html")
    assert len(overzicht.select("table.scholentabel tbody tr")) == 12
    assert len(list((dossiers / "llz").glob("*.html"))) == 4  # the LLZ staff with schools


def test_every_page_parses_and_has_the_structure_of_a_page(demo, tmp_path):
    """Each page: Dutch, a title, one h1 in main, a skip link, no script; dossiers noindex."""
    exporteer(demo, tmp_path / "uit")
    for boom in ("brochure", "dossiers"):
        for pad in (tmp_path / "uit" / boom).rglob("*.html"):
            pagina = lees(pad)
            assert pagina.html["lang"] == "nl", pad
            assert pagina.title.get_text(strip=True), pad
            assert len(pagina.select("main#inhoud h1")) == 1, pad
            assert pagina.select_one("a.utrecht-skip-link[href='#inhoud']"), pad
            assert not pagina.select("script, form, [data-hx-get], [data-hx-post]"), pad
            robots = pagina.select_one("meta[name=robots]")
            if boom == "dossiers":
                assert robots["content"] == "noindex", pad
            else:
                assert robots is None, pad


def test_every_internal_link_and_anchor_resolves(demo, tmp_path):
    """Followed on disk with a real parser: nothing broken, nothing outside its own tree."""
    exporteer(demo, tmp_path / "uit")
    assert gebroken_links(tmp_path / "uit" / "brochure") == []
    assert gebroken_links(tmp_path / "uit" / "dossiers") == []


def test_dossier_page_is_the_app_dossier_without_app_links(demo, tmp_path, client):
    """The app's dossier page without app links: same sections (bar internal ones), contacts."""
    exporteer(demo, tmp_path / "uit")
    pagina = lees(tmp_path / "uit" / "dossiers" / "scholen" / "21XA00.html")
    with demo.app_context():
        f.gebruiker(Rol.BEHEERDER, "beheer@test.example.nl")
        db.session.commit()
    client.login("beheer@test.example.nl")
    app_pagina = client.soup("/scholen/21XA00")

    def koppen(soup):
        """The section headings of a dossier page."""
        return [h.get_text(strip=True) for h in soup.select("main h2")]

    intern = {sectie.titel for sectie in secties() if sectie.intern}
    assert koppen(pagina) == [kop for kop in koppen(app_pagina) if kop not in intern]
    assert pagina.select_one("main > aside.rode-knop")
    assert [a["href"] for a in pagina.select(".rode-knop a")] == [
        a["href"] for a in app_pagina.select(".rode-knop a")
    ]
    assert pagina.select("#sectie-afsprakenlijst .afspraak")
    tekst = pagina.get_text()
    for app_tekst in ("Gegevens wijzigen", "Afsprakenlijst openen", "Geschiedenis"):
        assert app_tekst in app_pagina.get_text()
        assert app_tekst not in tekst
    assert pagina.select_one(".kruimelpad a")["href"] == "../index.html"


def test_a_section_registered_later_appears_without_touching_the_exporter(
    demo, tmp_path, extra_sectie
):
    """A new area registers a dossier section: the export shows it; an internal one it hides."""
    extra_sectie(demo, "jaarplanning", "<p class='jp'>Bezoeken: {{ data }}</p>",
                 lambda scholen, jaar: {s.id: 6 for s in scholen})
    extra_sectie(demo, "geheim", "<p class='geheim'>{{ data }}</p>",
                 lambda scholen, jaar: {s.id: "intern" for s in scholen}, intern=True)
    exporteer(demo, tmp_path / "uit")
    pagina = lees(tmp_path / "uit" / "dossiers" / "scholen" / "21XA00.html")
    assert pagina.select_one("#sectie-jaarplanning .jp").get_text() == "Bezoeken: 6"
    assert not pagina.select(".geheim")


def test_a_link_into_the_app_fails_the_export_clearly(demo, tmp_path, extra_sectie):
    """A section that forgets {% if not export %} around url_for stops the export."""
    extra_sectie(demo, "lek", "<a href='{{ url_for(\"scholen.lijst\") }}'>lijst</a>",
                 lambda scholen, jaar: {})
    with pytest.raises(ExportFout, match=r"scholen/\w+\.html: .*url_for\('scholen.lijst'\)"):
        exporteer(demo, tmp_path / "uit")
    assert not (tmp_path / "uit" / "dossiers").exists()


def test_broken_internal_links_fail_the_export_with_a_list(demo, tmp_path, extra_sectie):
    """Every internal link and anchor is checked before the switch; all failures are listed."""
    exporteer(demo, tmp_path / "uit")
    voor = bestanden(tmp_path / "uit" / "dossiers")
    extra_sectie(demo, "kapot", "<a href='{{ link(\"scholen/99ZZ99.html\") }}'>weg</a>"
                 "<a href='#bestaat-niet'>anker</a><a href='/absoluut.html'>absoluut</a>",
                 lambda scholen, jaar: {})
    with pytest.raises(ExportFout) as fout:
        exporteer(demo, tmp_path / "uit")
    melding = str(fout.value)
    assert melding.startswith("De export van dossiers is afgebroken; de vorige versie blijft")
    assert "scholen/21XA00.html: link naar scholen/99ZZ99.html, maar dat bestand bestaat" in melding
    assert "scholen/21XA00.html: link naar scholen/21XA00.html#bestaat-niet, maar dat anker" in (
        melding
    )
    assert "scholen/21XA00.html: link '/absoluut.html' is niet relatief" in melding
    assert bestanden(tmp_path / "uit" / "dossiers") == voor


def test_a_template_that_would_query_per_page_fails_clearly(demo, tmp_path, extra_sectie):
    """Rendering reads only what the loaders loaded: a lazy load is refused, not run 8000x."""
    extra_sectie(demo, "lui", "{{ school.toewijzingen[0].school.naam }}",
                 lambda scholen, jaar: {})
    with pytest.raises(ExportFout, match="niet vooraf zijn geladen"):
        exporteer(demo, tmp_path / "uit")


def test_public_tree_contains_nothing_of_the_dossiers(demo, tmp_path):
    """No school, no contact person, no dossier path: the brochure is for everyone."""
    exporteer(demo, tmp_path / "uit")
    brochure = "".join(
        inhoud.decode() for pad, inhoud in bestanden(tmp_path / "uit" / "brochure").items()
        if pad.endswith((".html", ".xml"))
    )
    with demo.app_context():
        namen = list(db.session.scalars(select(School.naam)))
        mensen = db.session.execute(select(Contactpersoon.naam, Contactpersoon.email)).all()
    assert "dossiers/" not in brochure and "scholen/" not in brochure
    for naam in namen:
        assert naam not in brochure
    for naam, email in mensen:
        assert naam not in brochure and email not in brochure


@pytest.mark.parametrize(
    ("gemeente", "melding"),
    [
        ("Gemeente Zeevliet, mail {email}", "e-mailadres van een contactpersoon van een school"),
        ("Gemeente Zeevliet, bel {telefoon}", "telefoonnummer van een contactpersoon"),
        ("Gemeente Zeevliet 111222333", "burgerservicenummer"),
    ],
)
def test_privacy_check_stops_a_public_export(demo, tmp_path, gemeente, melding):
    """A school contact's e-mail or phone, or a BSN-like number, in the brochure: refused."""
    exporteer(demo, tmp_path / "uit", doelen=("brochure",))
    voor = bestanden(tmp_path / "uit" / "brochure")
    with demo.app_context():
        persoon = db.session.scalars(
            select(Contactpersoon).where(Contactpersoon.kant == Kant.SCHOOL)
        ).first()
        demo.config["MUNICIPALITY"] = gemeente.format(
            email=persoon.email, telefoon=persoon.telefoon.replace("-", " ")
        )
    with pytest.raises(ExportFout, match=melding):
        exporteer(demo, tmp_path / "uit", doelen=("brochure",))
    assert bestanden(tmp_path / "uit" / "brochure") == voor


# --- deterministic and incremental ---------------------------------------------------------


def test_second_run_is_byte_identical_and_writes_nothing(demo, tmp_path):
    """The same data twice, or into a fresh folder: the same bytes; the re-run writes nothing."""
    eerste = exporteer(demo, tmp_path / "a")
    voor = {boom: bestanden(tmp_path / "a" / boom) for boom in ("brochure", "dossiers")}
    tweede = exporteer(demo, tmp_path / "a")
    assert {r.geschreven for r in tweede.values()} == {0}
    assert {r.nieuwe_bouw for r in tweede.values()} == {False}
    assert tweede["dossiers"].ongewijzigd == eerste["dossiers"].geschreven
    exporteer(demo, tmp_path / "b")
    for boom in ("brochure", "dossiers"):
        assert bestanden(tmp_path / "a" / boom) == voor[boom]
        assert bestanden(tmp_path / "b" / boom) == voor[boom]


def test_volledig_renders_everything_but_writes_only_changes(demo, tmp_path):
    """--volledig ignores the fingerprints; identical pages are still not written."""
    exporteer(demo, tmp_path / "uit")
    opnieuw = exporteer(demo, tmp_path / "uit", volledig=True)
    assert opnieuw["dossiers"].geschreven == 0


def _inodes(boom: Path) -> dict[str, int]:
    """The inode of every file: a carried-over file keeps it (hard link), a written one not."""
    return {str(p.relative_to(boom)): p.stat().st_ino for p in boom.rglob("*") if p.is_file()}


def test_changing_one_school_rewrites_only_its_page_and_the_indexes_listing_it(demo, tmp_path):
    """A new school name: its page, the overall index and its LLZ people's indexes."""
    exporteer(demo, tmp_path / "uit")
    dossiers = tmp_path / "uit" / "dossiers"
    voor = _inodes(dossiers)
    with demo.app_context():
        school = db.session.scalars(select(School).where(School.code == "22XB00")).one()
        school.naam = "Kindcentrum De Nieuwe Haven"
        llz = sorted(
            t.contactpersoon_id for t in db.session.scalars(
                select(Toewijzing).where(
                    Toewijzing.school_id == school.id,
                    Toewijzing.rol.in_([Contactrol.LLZ_CONTACT, Contactrol.LLZ_VERVANGER]),
                )
            )
        )
        db.session.commit()
    resultaat = exporteer(demo, tmp_path / "uit")
    verwacht = ["index.html", *(f"llz/{p}.html" for p in llz), "scholen/22XB00.html"]
    assert resultaat["dossiers"].geschreven_paden == sorted(verwacht)
    assert resultaat["brochure"].geschreven == 0 and not resultaat["brochure"].nieuwe_bouw
    na = _inodes(dossiers)
    assert {pad for pad in voor if voor[pad] != na[pad]} == set(verwacht)
    assert "Kindcentrum De Nieuwe Haven" in (dossiers / "scholen" / "22XB00.html").read_text()


def test_changing_an_agreement_rewrites_only_that_school(demo, tmp_path):
    """The text of an afspraak in the vastgestelde list: only that school's page."""
    exporteer(demo, tmp_path / "uit")
    with demo.app_context():
        school = db.session.scalars(select(School).where(School.code == "21XA00")).one()
        afspraak = db.session.scalars(
            select(Afspraak).join(Afsprakenlijst).where(
                Afspraak.school_id == school.id, Afsprakenlijst.status == Status.VASTGESTELD
            )
        ).first()
        afspraak.tekst_html = "<p>Nieuwe afspraak over het spreekuur.</p>"
        db.session.commit()
    resultaat = exporteer(demo, tmp_path / "uit")
    assert resultaat["dossiers"].geschreven_paden == ["scholen/21XA00.html"]


def test_a_removed_school_is_removed_from_the_export(demo, tmp_path):
    """A school that is gone: its page goes (the exporter wrote it), the indexes change."""
    exporteer(demo, tmp_path / "uit")
    with demo.app_context():
        school_id = db.session.scalar(select(School.id).where(School.code == "42XM00"))
        for model in (Afspraak, Afsprakenlijst, Toewijzing):
            db.session.execute(delete(model).where(model.school_id == school_id))
        db.session.execute(delete(School).where(School.id == school_id))
        db.session.commit()
    resultaat = exporteer(demo, tmp_path / "uit")
    assert resultaat["dossiers"].verwijderd == 1
    assert not (tmp_path / "uit" / "dossiers" / "scholen" / "42XM00.html").exists()
    assert gebroken_links(tmp_path / "uit" / "dossiers") == []


def test_a_contact_person_change_reaches_every_page_showing_them(demo, tmp_path):
    """Rows of no single school (a contact person) are inputs of every page."""
    exporteer(demo, tmp_path / "uit")
    with demo.app_context():
        leider = db.session.scalars(
            select(Contactpersoon).where(Contactpersoon.teamleider.is_(True))
        ).one()
        leider.telefoon = "070-1112222"
        db.session.commit()
    resultaat = exporteer(demo, tmp_path / "uit")
    scholen = [p for p in resultaat["dossiers"].geschreven_paden if p.startswith("scholen/")]
    assert len(scholen) == 12  # the rode knop on every dossier
    assert "tel:0701112222" in (tmp_path / "uit/dossiers/scholen/21XA00.html").read_text()


def test_publication_dates_stay_until_the_text_changes(demo, tmp_path):
    """'Gepubliceerd' stays; 'gewijzigd' moves only on the day the text really changed."""
    uit = tmp_path / "uit"

    def datums():
        """The publication dates shown on the exported brochure."""
        pagina = lees(uit / "brochure" / "index.html")
        return [t["datetime"] for t in pagina.select("#publicatie time")]

    exporteer(demo, uit, doelen=("brochure",), vandaag=date(2026, 9, 1))
    assert datums() == ["2026-09-01", "2026-09-01"]
    exporteer(demo, uit, doelen=("brochure",), vandaag=date(2026, 10, 1))
    assert datums() == ["2026-09-01", "2026-09-01"]
    demo.config["MUNICIPALITY"] = "Gemeente Duinwijk"
    exporteer(demo, uit, doelen=("brochure",), vandaag=date(2026, 11, 1))
    assert datums() == ["2026-09-01", "2026-11-01"]
    assert "<lastmod>2026-11-01</lastmod>" in (uit / "brochure" / "sitemap.xml").read_text()


def test_brochure_uses_the_norms_of_the_exported_schooljaar(demo, tmp_path):
    """A revised version of the norms from 2027-2028 on: that schooljaar shows its numbers."""
    normen = tmp_path / "normen.toml"
    tekst = standaard_normen_pad().read_text(encoding="utf-8")
    nieuw = tekst.split("\n[[versie]]\n", 1)[1].replace('versie = "1"', 'versie = "2"').replace(
        'geldig_vanaf = "2018-2019"', 'geldig_vanaf = "2027-2028"'
    )
    nieuw = nieuw.replace("[versie.normen.vragen_beantwoorden]\nwaarde = 5",
                          "[versie.normen.vragen_beantwoorden]\nwaarde = 4")
    normen.write_text(tekst + "\n[[versie]]\n" + nieuw, encoding="utf-8")
    demo.config["NORMEN_PAD"] = str(normen)
    demo.extensions.pop("leerplicht_normen", None)
    exporteer(demo, tmp_path / "oud", doelen=("brochure",), schooljaar="2026-2027")
    exporteer(demo, tmp_path / "nieuw", doelen=("brochure",), schooljaar="2027-2028")
    oud = lees(tmp_path / "oud" / "brochure" / "index.html").get_text(" ")
    nieuw = lees(tmp_path / "nieuw" / "brochure" / "index.html").get_text(" ")
    assert "binnen 5 werkdagen antwoord" in oud and "Versie 1 " in oud
    assert "binnen 4 werkdagen antwoord" in nieuw and "Versie 2 " in nieuw
    assert "geldig vanaf schooljaar 2027-2028" in nieuw


def test_school_option_updates_only_that_dossier(demo, tmp_path):
    """--school: that page is made; the other pages of the live build stay as they were."""
    alleen = exporteer(demo, tmp_path / "leeg", doelen=("dossiers",), school="21xa00")
    scholen = list((tmp_path / "leeg" / "dossiers" / "scholen").glob("*.html"))
    assert [p.name for p in scholen] == ["21XA00.html"]
    assert alleen["dossiers"].verwijderd == 0
    assert len(lees(tmp_path / "leeg/dossiers/index.html").select(".scholentabel tbody tr")) == 1

    exporteer(demo, tmp_path / "uit")
    with demo.app_context():
        for code in ("21XA00", "22XB00"):
            db.session.scalars(select(School).where(School.code == code)).one().plaats = "Duin"
        db.session.commit()
    resultaat = exporteer(demo, tmp_path / "uit", doelen=("dossiers",), school="21XA00")
    assert "scholen/21XA00.html" in resultaat["dossiers"].geschreven_paden
    assert "scholen/22XB00.html" not in resultaat["dossiers"].geschreven_paden
    assert len(list((tmp_path / "uit/dossiers/scholen").glob("*.html"))) == 12
    assert gebroken_links(tmp_path / "uit" / "dossiers") == []


def test_parallel_workers_give_the_same_bytes(demo, tmp_path, monkeypatch):
    """Rendering in forked workers writes exactly what rendering in one process writes."""
    exporteer(demo, tmp_path / "een", werkers=1)
    monkeypatch.setattr(schrijven, "PARALLEL_VANAF", 1)
    monkeypatch.setattr("leerplicht.export.dossiers.PARTIJ", 5)
    resultaat = exporteer(demo, tmp_path / "twee", werkers=2)
    assert resultaat["dossiers"].geschreven == len(bestanden(tmp_path / "twee" / "dossiers"))
    for boom in ("brochure", "dossiers"):
        assert bestanden(tmp_path / "een" / boom) == bestanden(tmp_path / "twee" / boom)


def test_export_needs_the_same_number_of_queries_for_more_schools(demo, tmp_path, query_counter):
    """Bulk loading: 12 or 40 schools, the same queries (one batch of a fixed query count)."""
    with query_counter() as klein:
        exporteer(demo, tmp_path / "a", volledig=True)
    with demo.app_context():
        leider = db.session.scalars(select(Contactpersoon)).first()
        for _ in range(28):
            f.toewijzing(f.school(), leider, Contactrol.LLZ_CONTACT)
        db.session.commit()
    with query_counter() as groot:
        exporteer(demo, tmp_path / "b", volledig=True)
    assert groot.count == klein.count


def test_export_reads_one_snapshot_and_lets_the_app_save(demo, second_app):
    """During the export's read transaction another worker saves: that works (no write lock
    held on SQLite) and the export does not see it (one snapshot, also on PostgreSQL)."""
    ander = second_app()
    eerste = select(School.plaats).order_by(School.id).limit(1)
    with demo.app_context(), bouwen.momentopname():
        voor = db.session.scalar(eerste)
        with ander.app_context():
            db.session.execute(update(School).values(plaats="Elders"))
            db.session.commit()
        assert db.session.scalar(eerste) == voor != "Elders"
    with demo.app_context():
        assert db.session.scalar(eerste) == "Elders"


# --- only our own files; one run at a time ----------------------------------------------------


def test_only_files_the_exporter_wrote_are_removed(demo, tmp_path):
    """Foreign files next to, inside, or in the old build stay where they are."""
    uit = tmp_path / "uit"
    exporteer(demo, uit)
    oude_bouw = (uit / "dossiers").resolve().parent
    (uit / "eigen.txt").write_text("van de beheerder")
    (uit / ".export" / "notitie.txt").write_text("van de beheerder")
    (uit / "dossiers" / "los.txt").write_text("in de live map gezet")
    with demo.app_context():
        db.session.scalars(select(School)).first().naam = "Andere naam"
        db.session.commit()
    exporteer(demo, uit)
    assert (uit / "eigen.txt").exists() and (uit / ".export" / "notitie.txt").exists()
    assert (oude_bouw / "site" / "los.txt").exists()  # the old build keeps what we did not write
    assert [p.name for p in (oude_bouw / "site").rglob("*") if p.is_file()] == ["los.txt"]
    assert not (uit / "dossiers" / "los.txt").exists()  # not part of the new build


def test_a_folder_the_exporter_did_not_make_is_refused(demo, tmp_path):
    """DIR/brochure as a plain folder: refused with a message, not overwritten."""
    (tmp_path / "uit" / "brochure").mkdir(parents=True)
    (tmp_path / "uit" / "brochure" / "index.html").write_text("van de website")
    with pytest.raises(ExportFout, match="niet door deze export gemaakt"):
        exporteer(demo, tmp_path / "uit")
    assert (tmp_path / "uit" / "brochure" / "index.html").read_text() == "van de website"


def test_one_export_at_a_time(demo, tmp_path):
    """A second export into the same folder while one runs is refused."""
    map_ = Uitvoermap(tmp_path / "uit")
    map_.open()
    try:
        with pytest.raises(ExportFout, match="loopt al een export"):
            exporteer(demo, tmp_path / "uit")
    finally:
        map_.close()
    exporteer(demo, tmp_path / "uit")


def test_relative_links_work_from_any_sub_path(demo, tmp_path):
    """Moved to another folder (another sub-path of a website): still nothing broken."""
    exporteer(demo, tmp_path / "uit")
    kopie = tmp_path / "elders" / "werkafspraken" / "2026"
    shutil.copytree(tmp_path / "uit" / "brochure", kopie, symlinks=False)
    assert gebroken_links(kopie) == []
    assert os.path.islink(tmp_path / "uit" / "brochure")
