"""Word-level differences between two texts, as escaped HTML with <del> and <ins>."""

import difflib

from markupsafe import Markup, escape


def _woorden_en_stappen(oud: str, nieuw: str):
    """Both texts as words, and the difflib opcodes that turn the old words into the new."""
    a, b = (oud or "").split(), (nieuw or "").split()
    return a, b, difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()


def woordverschil(oud: str, nieuw: str) -> Markup:
    """Word-level diff as escaped HTML with <del> and <ins>."""
    a, b, stappen = _woorden_en_stappen(oud, nieuw)
    out = []
    for op, i1, i2, j1, j2 in stappen:
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format(" ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format(" ".join(b[j1:j2])))
    return Markup(" ").join(out)


WEGGELATEN = "…"


def _ingekort(woorden: list[str], context: int, na_wijziging: bool, voor_wijziging: bool) -> str:
    """An unchanged run: `context` words after the previous and before the next change."""
    begin = woorden[:context] if na_wijziging else []
    eind = woorden[-context:] if voor_wijziging else []
    if len(woorden) <= len(begin) + len(eind) + 1:  # cutting would save nothing
        return " ".join(woorden)
    return " ".join([*begin, WEGGELATEN, *eind])


def woordverschil_in_context(oud: str, nieuw: str, context: int = 8) -> tuple[Markup, Markup]:
    """Both sides of a word diff (old with <del>, new with <ins>), escaped, each unchanged run
    cut to `context` words around the changes, so a change deep in a long text is visible."""
    a, b, stappen = _woorden_en_stappen(oud, nieuw)
    was: list[Markup] = []
    werd: list[Markup] = []
    for index, (op, i1, i2, j1, j2) in enumerate(stappen):
        if op == "equal":
            deel = escape(_ingekort(a[i1:i2], context, index > 0, index < len(stappen) - 1))
            was.append(deel)
            werd.append(deel)
            continue
        if i2 > i1:
            was.append(Markup("<del>{}</del>").format(" ".join(a[i1:i2])))
        if j2 > j1:
            werd.append(Markup("<ins>{}</ins>").format(" ".join(b[j1:j2])))
    return Markup(" ").join(was), Markup(" ").join(werd)


def _afgekort(tekst: str, grens: int) -> str:
    """At most `grens` characters, cut at a word, with … when something was left off."""
    if len(tekst) <= grens:
        return tekst
    return tekst[:grens].rsplit(" ", 1)[0] + " " + WEGGELATEN


def was_werd(oud: str | None, nieuw: str | None, grens: int = 200) -> tuple[Markup, Markup]:
    """What the history shows of one change: short values whole; when a long text changed,
    the changed words with some context on both sides; a long value on one side only cut."""
    oud, nieuw = oud or "", nieuw or ""
    lang = len(oud) > grens or len(nieuw) > grens
    if lang and oud and nieuw and oud.split() != nieuw.split():
        return woordverschil_in_context(oud, nieuw)
    return escape(_afgekort(oud, grens)), escape(_afgekort(nieuw, grens))
