"""The termijnen rules (termijnen.regels) and keeping the stored columns current (opslag).

Every expected date is worked out by hand in a comment next to it, counting werkdagen from the
day after the begin date (Algemene termijnenwet). Norms of content/normen.toml version 1:
terugmelden, aanvullen, reactie and vragen 5 werkdagen, ontwikkelingen 3 werkdagen.
"""

from datetime import date

import pytest
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.normen import laad_normen, standaard_normen_pad
from leerplicht.regelfout import Regelfout
from leerplicht.scholen.models import Kant
from leerplicht.termijnen import opslag
from leerplicht.termijnen.models import (
    Meldingstatus,
    Ontwikkeling,
    Oordeel,
    Sluitingsdag,
    Verzuimmelding,
    Vraag,
)
from leerplicht.termijnen.regels import (
    Stand,
    Stap,
    Stapnaam,
    aanwezige_elementen,
    alle_elementen,
    controleer_afhandeling,
    controleer_melding,
    elementen_masker,
    herbereken_melding,
    herbereken_ontwikkeling,
    herbereken_vraag,
    melding_stappen,
    niet_verzonden,
    ontbrekende_elementen,
    ontwikkeling_stap,
    oordeel_uit,
    vraag_stap,
)
from leerplicht.werkdagen import Werkdagkalender

import factories as f

NORMEN = laad_normen(standaard_normen_pad()).voor_schooljaar("2026-2027")
KAL = Werkdagkalender()
ALLES = 0b111111111  # all 9 checklist elements present
ZONDER_REDEN = 0b111111101  # element 1 ("de (vermoedelijke) reden van het verzuim") missing


def melding(ontvangen_op, oordeel=Oordeel.COMPLEET, elementen=None, status=None, **datums):
    """An unsaved melding with explicit defaults (column defaults only apply on insert)."""
    if elementen is None:
        elementen = {Oordeel.COMPLEET: ALLES, Oordeel.ONVOLLEDIG: ZONDER_REDEN}.get(oordeel, 0)
    return Verzuimmelding(referentie="DUO-2026-000001", ontvangen_op=ontvangen_op,
                          status=status or Meldingstatus.IN_BEHANDELING, oordeel=oordeel,
                          elementen=elementen, toelichting="", normversie="",
                          teruggemeld_op=datums.get("teruggemeld_op"),
                          aangevuld_op=datums.get("aangevuld_op"),
                          gereageerd_op=datums.get("gereageerd_op"))


def stappen(m, kal=KAL):
    """The melding's steps by name."""
    return {stap.naam: stap for stap in melding_stappen(m, NORMEN, kal)}


def vraag(gesteld_op, door=Kant.SCHOOL, beantwoord_op=None):
    """An unsaved question."""
    return Vraag(gesteld_door=door, onderwerp="Vraag", gesteld_op=gesteld_op,
                 beantwoord_op=beantwoord_op, antwoord="", normversie="")


def ontwikkeling(bekend_op, gemeld_op=None):
    """An unsaved development."""
    return Ontwikkeling(onderwerp="Verhuizing", bekend_op=bekend_op, gemeld_op=gemeld_op,
                        normversie="")


# --- deadlines around weekends, holidays and sluitingsdagen -----------------------------------

@pytest.mark.parametrize(
    ("ontvangen", "uiterlijk"),
    [
        # Mon 5 Oct 2026: Tue 6 (1), Wed 7 (2), Thu 8 (3), Fri 9 (4), Mon 12 (5).
        (date(2026, 10, 5), date(2026, 10, 12)),
        # Begins on a Friday, 9 Oct 2026: Mon 12 (1) ... Fri 16 (5).
        (date(2026, 10, 9), date(2026, 10, 16)),
        # Begins on Saturday 10 / Sunday 11 Oct 2026: again Mon 12 (1) ... Fri 16 (5).
        (date(2026, 10, 10), date(2026, 10, 16)),
        (date(2026, 10, 11), date(2026, 10, 16)),
        # Kerst: Mon 21 Dec 2026: Tue 22 (1), Wed 23 (2), Thu 24 (3), Fri 25 Eerste kerstdag,
        # Sat 26 Tweede kerstdag (weekend anyway), Sun 27, Mon 28 (4), Tue 29 (5).
        (date(2026, 12, 21), date(2026, 12, 29)),
        # Nieuwjaar: Tue 29 Dec 2026: Wed 30 (1), Thu 31 (2), Fri 1 Jan 2027 Nieuwjaarsdag,
        # Mon 4 (3), Tue 5 (4), Wed 6 (5).
        (date(2026, 12, 29), date(2027, 1, 6)),
        # Pasen 2027 (Easter Sunday 28 March): Wed 24 Mar: Thu 25 (1), Fri 26 Goede vrijdag is a
        # werkdag (2), Mon 29 Tweede paasdag, Tue 30 (3), Wed 31 (4), Thu 1 Apr (5).
        (date(2027, 3, 24), date(2027, 4, 1)),
        # Koningsdag Tue 27 Apr 2027: Fri 23 Apr: Mon 26 (1), Tue 27 off, Wed 28 (2),
        # Thu 29 (3), Fri 30 (4), Mon 3 May (5).
        (date(2027, 4, 23), date(2027, 5, 3)),
        # Bevrijdingsdag Wed 5 May 2027 and Hemelvaartsdag Thu 6 May 2027: Mon 3 May: Tue 4 (1),
        # Wed 5 off, Thu 6 off, Fri 7 (2), Mon 10 (3), Tue 11 (4), Wed 12 (5).
        (date(2027, 5, 3), date(2027, 5, 12)),
        # Pinksteren: Tweede pinksterdag Mon 17 May 2027: Wed 12 May: Thu 13 (1), Fri 14 (2),
        # Mon 17 off, Tue 18 (3), Wed 19 (4), Thu 20 (5).
        (date(2027, 5, 12), date(2027, 5, 20)),
        # 5 May 2026 is a Tuesday in a non-lustrum year and still no werkdag: Fri 1 May 2026:
        # Mon 4 (1), Tue 5 off, Wed 6 (2), Thu 7 (3), Fri 8 (4), Mon 11 (5).
        (date(2026, 5, 1), date(2026, 5, 11)),
        # 27 April 2025 is a Sunday: Koningsdag is Saturday 26 April, a weekend day anyway, so
        # it costs nothing extra: Thu 24 Apr 2025: Fri 25 (1), Mon 28 (2), Tue 29 (3),
        # Wed 30 (4), Thu 1 May (5).
        (date(2025, 4, 24), date(2025, 5, 1)),
    ],
)
def test_reactie_deadline_counts_werkdagen_after_receipt(ontvangen, uiterlijk):
    """A complete melding: LLZ responds within 5 werkdagen after receipt."""
    stap = stappen(melding(ontvangen))[Stapnaam.REACTIE]
    assert (stap.begin, stap.uiterlijk) == (ontvangen, uiterlijk)


def test_a_sluitingsdag_moves_the_deadline():
    """A configured closing day on Friday 9 Oct 2026 does not count."""
    gesloten = Werkdagkalender([date(2026, 10, 9)])
    # Mon 5 Oct: Tue 6 (1), Wed 7 (2), Thu 8 (3), Fri 9 closed, Mon 12 (4), Tue 13 (5).
    assert stappen(melding(date(2026, 10, 5)), gesloten)[Stapnaam.REACTIE].uiterlijk == \
        date(2026, 10, 13)
    # Without it: Mon 12 Oct (see above).
    assert stappen(melding(date(2026, 10, 5)))[Stapnaam.REACTIE].uiterlijk == date(2026, 10, 12)
    # Goede vrijdag as sluitingsdag: Wed 24 Mar 2027: Thu 25 (1), Fri 26 closed, Mon 29
    # Tweede paasdag, Tue 30 (2), Wed 31 (3), Thu 1 Apr (4), Fri 2 Apr (5).
    goede_vrijdag = Werkdagkalender([date(2027, 3, 26)])
    assert stappen(melding(date(2027, 3, 24)), goede_vrijdag)[Stapnaam.REACTIE].uiterlijk == \
        date(2027, 4, 2)


# --- every Stand of every step ----------------------------------------------------------------

def _stap_voor(soort: str, begin: date, klaar: date | None) -> Stap:
    """The step of one kind from `begin`, done on `klaar`."""
    if soort == "reactie":
        return stappen(melding(begin, gereageerd_op=klaar))[Stapnaam.REACTIE]
    if soort == "terugmelden":
        return stappen(melding(begin, Oordeel.ONVOLLEDIG, teruggemeld_op=klaar))[
            Stapnaam.TERUGMELDEN]
    if soort == "aanvullen":
        # Received the Friday before, teruggemeld on `begin`.
        m = melding(date(2026, 10, 2), Oordeel.ONVOLLEDIG, teruggemeld_op=begin,
                    aangevuld_op=klaar)
        return stappen(m)[Stapnaam.AANVULLEN]
    if soort == "reactie_na_aanvulling":
        m = melding(date(2026, 9, 28), Oordeel.ONVOLLEDIG, teruggemeld_op=date(2026, 10, 1),
                    aangevuld_op=begin, gereageerd_op=klaar)
        return stappen(m)[Stapnaam.REACTIE]
    if soort == "vraag_van_school":
        return vraag_stap(vraag(begin, Kant.SCHOOL, klaar), NORMEN, KAL)
    if soort == "vraag_van_llz":
        return vraag_stap(vraag(begin, Kant.LLZ, klaar), NORMEN, KAL)
    return ontwikkeling_stap(ontwikkeling(begin, klaar), NORMEN, KAL)


# (kind, expected step name, deadline from Mon 5 Oct 2026, the werkdag after the deadline)
SOORTEN = [
    # 5 werkdagen: Tue 6, Wed 7, Thu 8, Fri 9, Mon 12 Oct; the werkdag after is Tue 13.
    ("reactie", Stapnaam.REACTIE, date(2026, 10, 12), date(2026, 10, 13)),
    ("terugmelden", Stapnaam.TERUGMELDEN, date(2026, 10, 12), date(2026, 10, 13)),
    ("aanvullen", Stapnaam.AANVULLEN, date(2026, 10, 12), date(2026, 10, 13)),
    ("reactie_na_aanvulling", Stapnaam.REACTIE, date(2026, 10, 12), date(2026, 10, 13)),
    ("vraag_van_school", Stapnaam.ANTWOORD_LLZ, date(2026, 10, 12), date(2026, 10, 13)),
    ("vraag_van_llz", Stapnaam.ANTWOORD_SCHOOL, date(2026, 10, 12), date(2026, 10, 13)),
    # 3 werkdagen: Tue 6, Wed 7, Thu 8 Oct; the werkdag after is Fri 9.
    ("ontwikkeling", Stapnaam.INFORMEREN, date(2026, 10, 8), date(2026, 10, 9)),
]
MAANDAG = date(2026, 10, 5)


@pytest.mark.parametrize(("soort", "naam", "uiterlijk", "dag_erna"), SOORTEN,
                         ids=[s[0] for s in SOORTEN])
def test_every_stand_of_every_step(soort, naam, uiterlijk, dag_erna):
    """On time on the deadline day, late one werkdag after, running, overdue."""
    norm = 3 if naam == Stapnaam.INFORMEREN else 5
    op_tijd = _stap_voor(soort, MAANDAG, uiterlijk)
    assert (op_tijd.naam, op_tijd.begin, op_tijd.uiterlijk) == (naam, MAANDAG, uiterlijk)
    assert op_tijd.stand(date(2027, 1, 1)) == Stand.OP_TIJD
    assert op_tijd.werkdagen(KAL) == norm
    assert op_tijd.over_termijn(date(2027, 1, 1), KAL) == 0

    te_laat = _stap_voor(soort, MAANDAG, dag_erna)
    assert te_laat.stand(date(2027, 1, 1)) == Stand.TE_LAAT
    assert te_laat.werkdagen(KAL) == norm + 1
    assert te_laat.over_termijn(date(2027, 1, 1), KAL) == 1

    # Done on the begin day itself: 0 werkdagen, on time.
    direct = _stap_voor(soort, MAANDAG, MAANDAG)
    assert (direct.stand(MAANDAG), direct.werkdagen(KAL)) == (Stand.OP_TIJD, 0)

    open_stap = _stap_voor(soort, MAANDAG, None)
    assert open_stap.werkdagen(KAL) is None
    assert open_stap.stand(MAANDAG) == Stand.LOOPT
    assert open_stap.resterend(MAANDAG, KAL) == norm
    assert open_stap.stand(uiterlijk) == Stand.LOOPT  # the deadline day itself still runs
    assert open_stap.resterend(uiterlijk, KAL) == 0
    assert open_stap.over_termijn(uiterlijk, KAL) == 0
    assert open_stap.stand(dag_erna) == Stand.VERLOPEN
    assert open_stap.over_termijn(dag_erna, KAL) == 1
    assert open_stap.resterend(dag_erna, KAL) == 0
    # Overdue on Tue 20 Oct: Tue 13 .. Fri 16 and Mon 19, Tue 20 past a 12 Oct deadline = 6;
    # past an 8 Oct deadline: Fri 9, Mon 12 .. Fri 16, Mon 19, Tue 20 = 8.
    assert open_stap.over_termijn(date(2026, 10, 20), KAL) == (8 if norm == 3 else 6)


def test_stand_and_step_labels():
    """Labels, badges, sides and norms as the registers show them."""
    assert [(s.label, s.badge) for s in Stand] == [
        ("Op tijd", "valid"), ("Te laat", "invalid"), ("Loopt", "neutral"),
        ("Over de termijn", "invalid")]
    assert {s: s.kant for s in Stapnaam} == {
        Stapnaam.TERUGMELDEN: Kant.LLZ, Stapnaam.AANVULLEN: Kant.SCHOOL,
        Stapnaam.REACTIE: Kant.LLZ, Stapnaam.ANTWOORD_LLZ: Kant.LLZ,
        Stapnaam.ANTWOORD_SCHOOL: Kant.SCHOOL, Stapnaam.INFORMEREN: Kant.LLZ}
    assert Stapnaam.INFORMEREN.norm == "ontwikkelingen_informeren"
    assert Stapnaam.ANTWOORD_SCHOOL.norm == Stapnaam.ANTWOORD_LLZ.norm == "vragen_beantwoorden"
    assert all(s.label for s in Stapnaam)


def test_a_holiday_inside_a_step_delays_vraag_and_ontwikkeling_too():
    """Kerst in the middle of a question and a development."""
    # Question asked Mon 21 Dec 2026 by LLZ: the school answers by Tue 29 Dec (see Kerst above).
    stap = vraag_stap(vraag(date(2026, 12, 21), Kant.LLZ), NORMEN, KAL)
    assert (stap.naam, stap.uiterlijk) == (Stapnaam.ANTWOORD_SCHOOL, date(2026, 12, 29))
    # Development known Thu 24 Dec 2026: Fri 25 Kerst, Mon 28 (1), Tue 29 (2), Wed 30 (3).
    stap = ontwikkeling_stap(ontwikkeling(date(2026, 12, 24)), NORMEN, KAL)
    assert stap.uiterlijk == date(2026, 12, 30)
    # Answered Wed 30 Dec (Tue 22 .. Thu 24, Mon 28, Tue 29, Wed 30 = 6 werkdagen): late.
    stap = vraag_stap(vraag(date(2026, 12, 21), Kant.LLZ, date(2026, 12, 30)), NORMEN, KAL)
    assert (stap.stand(date(2027, 1, 4)), stap.werkdagen(KAL)) == (Stand.TE_LAAT, 6)


# --- the path of a melding --------------------------------------------------------------------

def test_open_melding_runs_the_reactie_step_from_receipt():
    """Not judged yet: only the reactie step, from the receipt date."""
    m = melding(MAANDAG, Oordeel.OPEN)
    assert list(stappen(m)) == [Stapnaam.REACTIE]
    assert stappen(m)[Stapnaam.REACTIE].uiterlijk == date(2026, 10, 12)


def test_incomplete_melding_path_and_stored_columns():
    """Terugmelden from receipt, aanvullen from terugmelden, reactie from the aanvulling."""
    m = melding(MAANDAG, Oordeel.ONVOLLEDIG)
    assert list(stappen(m)) == [Stapnaam.TERUGMELDEN]  # no reactie before it is complete
    herbereken_melding(m, NORMEN, KAL)
    # Mon 5 Oct + 5 = Mon 12 Oct.
    assert (m.terugmelden_uiterlijk, m.terugmelden_werkdagen) == (date(2026, 10, 12), None)
    assert m.aanvullen_uiterlijk is None and m.reactie_uiterlijk is None
    assert m.normversie == "1"

    m.teruggemeld_op = date(2026, 10, 9)  # Fri: Tue 6 .. Fri 9 = 4 werkdagen
    herbereken_melding(m, NORMEN, KAL)
    assert list(stappen(m)) == [Stapnaam.TERUGMELDEN, Stapnaam.AANVULLEN]
    # Aanvullen from Fri 9 Oct: Mon 12 (1) .. Fri 16 (5).
    assert (m.terugmelden_werkdagen, m.aanvullen_uiterlijk) == (4, date(2026, 10, 16))
    assert m.reactie_uiterlijk is None

    m.aangevuld_op = date(2026, 10, 14)  # Wed: Mon 12, Tue 13, Wed 14 = 3 werkdagen
    m.gereageerd_op = date(2026, 10, 22)  # Thu
    herbereken_melding(m, NORMEN, KAL)
    # Reactie from Wed 14 Oct: Thu 15 (1), Fri 16 (2), Mon 19 (3), Tue 20 (4), Wed 21 (5);
    # done Thu 22 = 6 werkdagen, one late.
    assert (m.aanvullen_werkdagen, m.reactie_uiterlijk, m.reactie_werkdagen) == (
        3, date(2026, 10, 21), 6)
    assert stappen(m)[Stapnaam.REACTIE].stand(date(2026, 10, 22)) == Stand.TE_LAAT


def test_complete_melding_stores_only_the_reactie_step():
    """Complete at once: no terugmelden or aanvullen columns."""
    m = melding(MAANDAG, gereageerd_op=date(2026, 10, 12))
    herbereken_melding(m, NORMEN, KAL)
    assert (m.terugmelden_uiterlijk, m.terugmelden_werkdagen, m.aanvullen_uiterlijk,
            m.aanvullen_werkdagen) == (None, None, None, None)
    assert (m.reactie_uiterlijk, m.reactie_werkdagen) == (date(2026, 10, 12), 5)


def test_melding_not_completed_in_time_counts_as_not_sent():
    """Past the aanvullen deadline without an aanvulling the melding is niet verzonden."""
    m = melding(MAANDAG, Oordeel.ONVOLLEDIG, teruggemeld_op=date(2026, 10, 9))
    herbereken_melding(m, NORMEN, KAL)
    # aanvullen_uiterlijk Fri 16 Oct (Mon 12 .. Fri 16 after teruggemeld Fri 9).
    assert not niet_verzonden(m, date(2026, 10, 16))  # the deadline day itself: still in time
    assert niet_verzonden(m, date(2026, 10, 17))  # Saturday after: past it
    assert niet_verzonden(m, date(2026, 10, 19))
    assert stappen(m)[Stapnaam.AANVULLEN].stand(date(2026, 10, 19)) == Stand.VERLOPEN
    # Completed on the deadline day: not "niet verzonden", and reactie runs from there.
    m.aangevuld_op = date(2026, 10, 16)
    herbereken_melding(m, NORMEN, KAL)
    assert not niet_verzonden(m, date(2026, 12, 1))
    # Reactie from Fri 16 Oct: Mon 19 (1) .. Fri 23 (5).
    assert m.reactie_uiterlijk == date(2026, 10, 23)
    # Not yet teruggemeld or not incomplete: never niet verzonden.
    assert not niet_verzonden(melding(MAANDAG, Oordeel.ONVOLLEDIG), date(2027, 7, 1))
    assert not niet_verzonden(melding(MAANDAG), date(2027, 7, 1))


def test_withdrawn_melding_stops_open_steps_and_keeps_done_ones():
    """Ingetrokken: open steps disappear; steps already done keep their timing."""
    m = melding(MAANDAG, Oordeel.ONVOLLEDIG, teruggemeld_op=date(2026, 10, 9))
    herbereken_melding(m, NORMEN, KAL)
    assert m.aanvullen_uiterlijk == date(2026, 10, 16)
    m.status = Meldingstatus.INGETROKKEN
    herbereken_melding(m, NORMEN, KAL)
    assert list(stappen(m)) == [Stapnaam.TERUGMELDEN]
    assert (m.terugmelden_uiterlijk, m.terugmelden_werkdagen) == (date(2026, 10, 12), 4)
    assert (m.aanvullen_uiterlijk, m.aanvullen_werkdagen) == (None, None)
    assert (m.reactie_uiterlijk, m.reactie_werkdagen) == (None, None)
    assert not niet_verzonden(m, date(2027, 1, 1))  # withdrawn, so not "niet verzonden"

    open_ingetrokken = melding(MAANDAG, Oordeel.OPEN, status=Meldingstatus.INGETROKKEN)
    assert stappen(open_ingetrokken) == {}
    herbereken_melding(open_ingetrokken, NORMEN, KAL)
    assert open_ingetrokken.reactie_uiterlijk is None

    # A reactie given before the withdrawal stays as it was.
    klaar = melding(MAANDAG, gereageerd_op=date(2026, 10, 7), status=Meldingstatus.INGETROKKEN)
    herbereken_melding(klaar, NORMEN, KAL)
    assert (klaar.reactie_uiterlijk, klaar.reactie_werkdagen) == (date(2026, 10, 12), 2)


def test_herbereken_vraag_and_ontwikkeling_store_deadline_and_duration():
    """Questions and developments store one deadline and, once done, the werkdagen."""
    v = vraag(MAANDAG, Kant.SCHOOL)
    herbereken_vraag(v, NORMEN, KAL)
    assert (v.uiterlijk, v.werkdagen, v.normversie) == (date(2026, 10, 12), None, "1")
    v.beantwoord_op = date(2026, 10, 13)  # Tue 6 .. Fri 9, Mon 12, Tue 13 = 6
    herbereken_vraag(v, NORMEN, KAL)
    assert (v.uiterlijk, v.werkdagen) == (date(2026, 10, 12), 6)

    o = ontwikkeling(MAANDAG)
    herbereken_ontwikkeling(o, NORMEN, KAL)
    assert (o.uiterlijk, o.werkdagen, o.normversie) == (date(2026, 10, 8), None, "1")
    o.gemeld_op = date(2026, 10, 8)
    herbereken_ontwikkeling(o, NORMEN, KAL)
    assert o.werkdagen == 3


# --- the checklist ----------------------------------------------------------------------------

def test_checklist_elements_and_judgement():
    """Bitmask helpers and the judgement they imply."""
    assert len(NORMEN.meldingselementen) == 9
    assert alle_elementen(NORMEN) == ALLES == 511
    assert elementen_masker([0, 8], NORMEN) == 0b100000001
    assert elementen_masker([], NORMEN) == 0
    for fout in (9, -1):
        with pytest.raises(ValueError):
            elementen_masker([fout], NORMEN)
    assert oordeel_uit(ALLES, NORMEN) == Oordeel.COMPLEET
    assert oordeel_uit(ZONDER_REDEN, NORMEN) == Oordeel.ONVOLLEDIG
    assert oordeel_uit(0, NORMEN) == Oordeel.ONVOLLEDIG
    m = melding(MAANDAG, Oordeel.ONVOLLEDIG)
    assert aanwezige_elementen(m, NORMEN) == [0, 2, 3, 4, 5, 6, 7, 8]
    assert ontbrekende_elementen(m, NORMEN) == ["de (vermoedelijke) reden van het verzuim"]
    # Not judged yet: nothing is reported missing.
    assert ontbrekende_elementen(melding(MAANDAG, Oordeel.OPEN), NORMEN) == []


# --- refusals ---------------------------------------------------------------------------------

VANDAAG = date(2026, 11, 2)  # Monday


@pytest.mark.parametrize(
    ("gegevens", "bericht", "veld"),
    [
        ({"ontvangen_op": date(2026, 11, 3)}, "De ontvangstdatum ligt in de toekomst.",
         "ontvangen_op"),
        ({"oordeel": Oordeel.ONVOLLEDIG, "teruggemeld_op": date(2026, 11, 3)},
         "De datum van terugmelden ligt in de toekomst.", "teruggemeld_op"),
        ({"oordeel": Oordeel.ONVOLLEDIG, "teruggemeld_op": date(2026, 10, 6),
          "aangevuld_op": date(2026, 11, 3)},
         "De datum van aanvullen ligt in de toekomst.", "aangevuld_op"),
        ({"gereageerd_op": date(2026, 11, 3)}, "De reactiedatum ligt in de toekomst.",
         "gereageerd_op"),
        ({"oordeel": Oordeel.OPEN, "teruggemeld_op": date(2026, 10, 6)},
         "Beoordeel de melding eerst met de checklist.", "oordeel"),
        ({"oordeel": Oordeel.OPEN, "gereageerd_op": date(2026, 10, 6)},
         "Beoordeel de melding eerst met de checklist.", "oordeel"),
        ({"teruggemeld_op": date(2026, 10, 6)},
         "Een complete melding wordt niet teruggemeld.", "teruggemeld_op"),
        ({"oordeel": Oordeel.COMPLEET, "elementen": ZONDER_REDEN},
         "Het oordeel past niet bij de aangevinkte elementen.", "oordeel"),
        ({"oordeel": Oordeel.ONVOLLEDIG, "elementen": ALLES},
         "Het oordeel past niet bij de aangevinkte elementen.", "oordeel"),
        ({"oordeel": Oordeel.ONVOLLEDIG, "teruggemeld_op": date(2026, 10, 2)},
         "Terugmelden kan niet vóór de ontvangst.", "teruggemeld_op"),
        ({"oordeel": Oordeel.ONVOLLEDIG, "aangevuld_op": date(2026, 10, 6)},
         "Aanvullen kan pas nadat de melding is teruggemeld.", "aangevuld_op"),
        ({"oordeel": Oordeel.ONVOLLEDIG, "teruggemeld_op": date(2026, 10, 7),
          "aangevuld_op": date(2026, 10, 6)},
         "Aanvullen kan niet vóór het terugmelden.", "aangevuld_op"),
        # Teruggemeld Fri 9 Oct: aanvullen until Fri 16 Oct; Mon 19 is too late.
        ({"oordeel": Oordeel.ONVOLLEDIG, "teruggemeld_op": date(2026, 10, 9),
          "aangevuld_op": date(2026, 10, 19)},
         "De termijn om aan te vullen liep tot en met 16-10-2026: de melding geldt als niet "
         "verzonden. De school doet een nieuwe melding.", "aangevuld_op"),
        ({"oordeel": Oordeel.ONVOLLEDIG, "teruggemeld_op": date(2026, 10, 9),
          "gereageerd_op": date(2026, 10, 12)},
         "Reageren kan pas als de melding compleet is.", "gereageerd_op"),
        ({"oordeel": Oordeel.ONVOLLEDIG, "teruggemeld_op": date(2026, 10, 9),
          "aangevuld_op": date(2026, 10, 14), "gereageerd_op": date(2026, 10, 13)},
         "De reactie kan niet vóór de (aangevulde) melding liggen.", "gereageerd_op"),
        ({"gereageerd_op": date(2026, 10, 4)},
         "De reactie kan niet vóór de (aangevulde) melding liggen.", "gereageerd_op"),
    ],
)
def test_controleer_melding_refuses_with_a_dutch_message(gegevens, bericht, veld):
    """Every refusal of controleer_melding, with the field it is about."""
    gegevens = {"ontvangen_op": MAANDAG, "oordeel": Oordeel.COMPLEET, **gegevens}
    m = melding(**gegevens)
    with pytest.raises(Regelfout) as fout:
        controleer_melding(m, NORMEN, KAL, VANDAAG)
    assert (str(fout.value), fout.value.veld) == (bericht, veld)


def test_controleer_melding_accepts_valid_paths():
    """The ordinary paths pass, including an aanvulling on the last day and today's dates."""
    geldig = [
        melding(MAANDAG, Oordeel.OPEN),
        melding(MAANDAG, gereageerd_op=MAANDAG),
        melding(VANDAAG, gereageerd_op=VANDAAG),
        melding(MAANDAG, Oordeel.ONVOLLEDIG, teruggemeld_op=date(2026, 10, 9),
                aangevuld_op=date(2026, 10, 16), gereageerd_op=date(2026, 10, 23)),
        melding(MAANDAG, Oordeel.ONVOLLEDIG, elementen=0),
    ]
    for m in geldig:
        controleer_melding(m, NORMEN, KAL, VANDAAG)
    # A sluitingsdag lengthens the aanvullen termijn: Fri 16 Oct closed, so Mon 19 is in time.
    controleer_melding(geldig[3], NORMEN, Werkdagkalender([date(2026, 10, 16)]), VANDAAG)
    laat = melding(MAANDAG, Oordeel.ONVOLLEDIG, teruggemeld_op=date(2026, 10, 9),
                   aangevuld_op=date(2026, 10, 19))
    controleer_melding(laat, NORMEN, Werkdagkalender([date(2026, 10, 16)]), VANDAAG)


@pytest.mark.parametrize(
    ("begin", "klaar", "bericht", "veld"),
    [
        (date(2026, 11, 3), None, "De datum van de vraag ligt in de toekomst.", None),
        (MAANDAG, date(2026, 11, 3), "Het antwoord ligt in de toekomst.", "beantwoord_op"),
        (MAANDAG, date(2026, 10, 2),
         "Het antwoord kan niet vóór de datum van de vraag liggen.", "beantwoord_op"),
    ],
)
def test_controleer_afhandeling_refuses(begin, klaar, bericht, veld):
    """A question's answer: not in the future, not before the question."""
    with pytest.raises(Regelfout) as fout:
        controleer_afhandeling(begin, klaar, VANDAAG, "De datum van de vraag", "Het antwoord",
                               "beantwoord_op")
    assert (str(fout.value), fout.value.veld) == (bericht, veld)


def test_controleer_afhandeling_accepts_same_day_and_open():
    """Answered the same day, today, or not yet: fine."""
    for klaar in (None, MAANDAG, VANDAAG):
        controleer_afhandeling(MAANDAG, klaar, VANDAAG, "De vraag", "Het antwoord", "x")


# --- opslag: stored columns in the database ---------------------------------------------------

def _register_rijen(jaar, school):
    """A melding, a question and a development of one school, saved through herbereken."""
    m = Verzuimmelding(school_id=school.id, schooljaar_id=jaar.id,
                       referentie="DUO-2026-004711", ontvangen_op=MAANDAG,
                       oordeel=Oordeel.ONVOLLEDIG, elementen=ZONDER_REDEN,
                       teruggemeld_op=date(2026, 10, 9))
    v = Vraag(school_id=school.id, schooljaar_id=jaar.id, gesteld_door=Kant.LLZ,
              onderwerp="Rooster opvragen", gesteld_op=MAANDAG)
    o = Ontwikkeling(school_id=school.id, schooljaar_id=jaar.id, onderwerp="Verhuizing gemeld",
                     bekend_op=MAANDAG, gemeld_op=date(2026, 10, 9))
    for record in (m, v, o):
        opslag.herbereken(record)
        db.session.add(record)
    db.session.commit()
    return m, v, o


def test_herbereken_stores_the_columns_in_the_database(app):
    """herbereken sets the stored columns; saved and read back they are the same."""
    with app.app_context():
        jaar = f.schooljaar("2026-2027")
        school = f.school()
        m, v, o = _register_rijen(jaar, school)
        db.session.expire_all()
        m = db.session.get(Verzuimmelding, m.id)
        # Terugmelden: Mon 12 Oct, done Fri 9 (4); aanvullen: Fri 16 Oct, open.
        assert (m.terugmelden_uiterlijk, m.terugmelden_werkdagen, m.aanvullen_uiterlijk,
                m.aanvullen_werkdagen, m.reactie_uiterlijk, m.normversie) == (
            date(2026, 10, 12), 4, date(2026, 10, 16), None, None, "1")
        v = db.session.get(Vraag, v.id)
        assert (v.uiterlijk, v.werkdagen, v.normversie) == (date(2026, 10, 12), None, "1")
        o = db.session.get(Ontwikkeling, o.id)
        # Informeren within 3: Thu 8 Oct; reported Fri 9 = 4 werkdagen, one late.
        assert (o.uiterlijk, o.werkdagen) == (date(2026, 10, 8), 4)

        # Recomputing unchanged rows changes nothing (their version stays).
        assert opslag.herbereken_rijen() == 0
        db.session.commit()
        assert (m.versie, v.versie, o.versie) == (1, 1, 1)


def test_schooljaar_voor(app):
    """The app's schooljaar containing a date, or None."""
    with app.app_context():
        jaar = f.schooljaar("2026-2027")
        assert opslag.schooljaar_voor(date(2026, 8, 1)) == jaar
        assert opslag.schooljaar_voor(date(2027, 7, 31)) == jaar
        assert opslag.schooljaar_voor(date(2027, 8, 1)) is None
        assert opslag.schooljaar_voor(date(2026, 7, 31)) is None


def test_a_new_norms_version_applies_to_the_rows_of_its_schooljaar(app, tmp_path):
    """Version 2 (melding_reactie 10, from 2027-2028) leaves 2026-2027 rows on version 1."""
    tekst = standaard_normen_pad().read_text(encoding="utf-8")
    versie2 = tekst.split("\n[[versie]]\n", 1)[1].replace(
        'geldig_vanaf = "2018-2019"', 'geldig_vanaf = "2027-2028"'
    ).replace('versie = "1"', 'versie = "2"').replace(
        "[versie.normen.melding_reactie]\nwaarde = 5",
        "[versie.normen.melding_reactie]\nwaarde = 10",
    )
    assert "waarde = 10" in versie2
    pad = tmp_path / "normen.toml"
    pad.write_text(tekst + "\n[[versie]]\n" + versie2, encoding="utf-8")
    app.config["NORMEN_PAD"] = str(pad)
    app.extensions.pop("leerplicht_normen", None)
    with app.app_context():
        oud = f.schooljaar("2026-2027", huidig=False)
        nieuw = f.schooljaar("2027-2028", huidig=True)
        school = f.school()
        rijen = {
            "oud": Verzuimmelding(school_id=school.id, schooljaar_id=oud.id,
                                  referentie="DUO-2026-000001", ontvangen_op=MAANDAG,
                                  oordeel=Oordeel.COMPLEET, elementen=ALLES),
            "nieuw": Verzuimmelding(school_id=school.id, schooljaar_id=nieuw.id,
                                    referentie="DUO-2027-000001",
                                    ontvangen_op=date(2027, 9, 6),
                                    oordeel=Oordeel.COMPLEET, elementen=ALLES),
        }
        for record in rijen.values():
            opslag.herbereken(record)
            db.session.add(record)
        db.session.commit()
        # 2026-2027, norm 5: Mon 5 Oct 2026 -> Mon 12 Oct 2026.
        assert (rijen["oud"].reactie_uiterlijk, rijen["oud"].normversie) == (
            date(2026, 10, 12), "1")
        # 2027-2028, norm 10: Mon 6 Sep 2027: Tue 7 (1), Wed 8, Thu 9, Fri 10 (4), Mon 13 (5),
        # Tue 14, Wed 15, Thu 16, Fri 17 (9), Mon 20 Sep (10).
        assert (rijen["nieuw"].reactie_uiterlijk, rijen["nieuw"].normversie) == (
            date(2027, 9, 20), "2")
        # The terugmelden norm did not change in version 2: Mon 6 Sep 2027 + 5 = Mon 13 Sep.
        rijen["nieuw"].oordeel, rijen["nieuw"].elementen = Oordeel.ONVOLLEDIG, ZONDER_REDEN
        opslag.herbereken(rijen["nieuw"], "2027-2028")
        assert rijen["nieuw"].terugmelden_uiterlijk == date(2027, 9, 13)
        db.session.rollback()

        # Rows stored with version 1 everywhere (as before the new file) are put right by a
        # recompute of all rows: only the 2027-2028 row changes.
        rijen["nieuw"].reactie_uiterlijk = date(2027, 9, 13)
        rijen["nieuw"].normversie = "1"
        db.session.commit()
        assert opslag.herbereken_rijen() == 1
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Verzuimmelding, rijen["nieuw"].id).reactie_uiterlijk == \
            date(2027, 9, 20)
        assert db.session.get(Verzuimmelding, rijen["oud"].id).reactie_uiterlijk == \
            date(2026, 10, 12)


def test_adding_a_sluitingsdag_recomputes_the_affected_rows(app, client):
    """POST /beheer/sluitingsdagen: the deadline spanning the new day moves, an older one not."""
    with app.app_context():
        jaar = f.schooljaar("2026-2027")
        school = f.school()
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        geraakt = Verzuimmelding(school_id=school.id, schooljaar_id=jaar.id,
                                 referentie="DUO-2026-000002", ontvangen_op=MAANDAG,
                                 oordeel=Oordeel.OPEN, elementen=0)
        # Received Mon 28 Sep: deadline Mon 5 Oct, before the new closing day.
        ouder = Verzuimmelding(school_id=school.id, schooljaar_id=jaar.id,
                               referentie="DUO-2026-000001", ontvangen_op=date(2026, 9, 28),
                               oordeel=Oordeel.COMPLEET, elementen=ALLES,
                               gereageerd_op=date(2026, 10, 2))
        # Asked Mon 5 Oct, answered Tue 13 Oct: 6 werkdagen now, 5 with the closing day.
        vraag_rij = Vraag(school_id=school.id, schooljaar_id=jaar.id, gesteld_door=Kant.SCHOOL,
                          onderwerp="Verlofaanvraag", gesteld_op=MAANDAG,
                          beantwoord_op=date(2026, 10, 13))
        for record in (geraakt, ouder, vraag_rij):
            opslag.herbereken(record)
            db.session.add(record)
        db.session.commit()
        assert geraakt.reactie_uiterlijk == date(2026, 10, 12)
        assert ouder.reactie_uiterlijk == date(2026, 10, 5)  # Tue 29 .. Fri 2, Mon 5 Oct
        assert vraag_rij.werkdagen == 6
        ids, ouder_versie = (geraakt.id, ouder.id, vraag_rij.id), ouder.versie

    client.login("beheer@llz.example.nl")
    response = client.post("/beheer/sluitingsdagen",
                           {"datum": "2026-10-09", "omschrijving": "Teamdag"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert ("09-10-2026 is toegevoegd als sluitingsdag; de termijnen van 2 rijen zijn "
            "herberekend.") in response.text

    with app.app_context():
        geraakt, ouder, vraag_rij = (db.session.get(model, i) for model, i in zip(
            (Verzuimmelding, Verzuimmelding, Vraag), ids, strict=True))
        # Mon 5 Oct: Tue 6 (1), Wed 7 (2), Thu 8 (3), Fri 9 closed, Mon 12 (4), Tue 13 (5).
        assert geraakt.reactie_uiterlijk == date(2026, 10, 13)
        assert (vraag_rij.uiterlijk, vraag_rij.werkdagen) == (date(2026, 10, 13), 5)
        assert ouder.reactie_uiterlijk == date(2026, 10, 5)
        assert ouder.versie == ouder_versie  # untouched row keeps its version
        assert db.session.scalar(select(Sluitingsdag.datum)) == date(2026, 10, 9)

    # Removing it again restores the old deadline.
    with app.app_context():
        dag_id = db.session.scalar(select(Sluitingsdag.id))
    response = client.post(f"/beheer/sluitingsdagen/{dag_id}/verwijderen", follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Verzuimmelding, ids[0]).reactie_uiterlijk == date(2026, 10, 12)


def test_herbereken_rond_leaves_rows_beyond_its_range_alone(app):
    """Rows that began more than a year before, or after, the day are not touched."""
    with app.app_context():
        vorig = f.schooljaar("2025-2026", huidig=False)
        jaar = f.schooljaar("2026-2027")
        school = f.school()
        oud = Verzuimmelding(school_id=school.id, schooljaar_id=vorig.id,
                             referentie="DUO-2025-000001", ontvangen_op=date(2025, 9, 1),
                             oordeel=Oordeel.OPEN, elementen=0)
        later = Verzuimmelding(school_id=school.id, schooljaar_id=jaar.id,
                               referentie="DUO-2026-000003", ontvangen_op=date(2026, 10, 12),
                               oordeel=Oordeel.OPEN, elementen=0)
        for record in (oud, later):
            opslag.herbereken(record)
            db.session.add(record)
        db.session.commit()
        # A stale value on both: herbereken_rond for 9 Oct 2026 must not look at them.
        oud.reactie_uiterlijk = later.reactie_uiterlijk = date(2030, 1, 1)
        db.session.commit()
        db.session.add(Sluitingsdag(datum=date(2026, 10, 9), omschrijving="Teamdag"))
        db.session.flush()
        assert opslag.herbereken_rond(date(2026, 10, 9)) == 0
        assert oud.reactie_uiterlijk == later.reactie_uiterlijk == date(2030, 1, 1)
        db.session.rollback()


# --- demo data --------------------------------------------------------------------------------

def test_demo_registers_follow_the_rules(app):
    """Every demo melding passes controleer_melding, its stored columns are what herbereken
    gives, and the mix has on-time, late, open, overdue, incomplete, niet verzonden and
    withdrawn rows."""
    from leerplicht.demo import vul_demo
    from leerplicht.normenbron import normen_voor
    from leerplicht.schooljaren import huidig_schooljaar, naam_voor_datum
    from leerplicht.termijnen.kalender import kalender

    vandaag = date.today()
    with app.app_context():
        vul_demo(40)
        jaar = huidig_schooljaar()
        kal = kalender()
        alle = db.session.scalars(select(Verzuimmelding)).all()
        assert len({(m.school_id, m.referentie) for m in alle}) == len(alle)
        # Last schooljaar has a whole year of meldingen too (for the jaarverslag).
        vorig = [m for m in alle if m.schooljaar_id != jaar.id]
        assert vorig and all(
            date(jaar.begin.year - 1, 8, 1) <= m.ontvangen_op < jaar.begin for m in vorig)
        for m in vorig:
            controleer_melding(m, normen_voor(naam_voor_datum(m.ontvangen_op)), kal, vandaag)
        normen = normen_voor(jaar)
        meldingen = [m for m in alle if m.schooljaar_id == jaar.id]
        assert len(meldingen) >= 40
        standen = set()
        for m in meldingen:
            controleer_melding(m, normen, kal, vandaag)
            assert jaar.begin <= m.ontvangen_op <= vandaag
            opgeslagen = [getattr(m, k) for k in (
                "terugmelden_uiterlijk", "terugmelden_werkdagen", "aanvullen_uiterlijk",
                "aanvullen_werkdagen", "reactie_uiterlijk", "reactie_werkdagen")]
            herbereken_melding(m, normen, kal)
            assert opgeslagen == [getattr(m, k) for k in (
                "terugmelden_uiterlijk", "terugmelden_werkdagen", "aanvullen_uiterlijk",
                "aanvullen_werkdagen", "reactie_uiterlijk", "reactie_werkdagen")]
            standen.update(s.stand(vandaag) for s in melding_stappen(m, normen, kal))
        assert not db.session.dirty
        if (vandaag - jaar.begin).days > 60:  # early in August there is little to show
            assert standen == set(Stand)
            assert any(m.oordeel == Oordeel.ONVOLLEDIG for m in meldingen)
            assert any(niet_verzonden(m, vandaag) for m in meldingen)
            assert any(m.status == Meldingstatus.INGETROKKEN for m in meldingen)
        vragen = db.session.scalars(select(Vraag).where(Vraag.schooljaar_id == jaar.id)).all()
        assert {v.gesteld_door for v in vragen} == {Kant.LLZ, Kant.SCHOOL}
        for v in vragen:
            controleer_afhandeling(v.gesteld_op, v.beantwoord_op, vandaag, "Vraag", "Antwoord",
                                   "beantwoord_op")
        assert db.session.scalars(select(Ontwikkeling)).first() is not None
