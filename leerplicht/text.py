"""Free text rules: no BSN, no control characters; Markdown rendered and sanitised once."""

import re

import markdown
import nh3
from wtforms.validators import ValidationError

BSN_KANDIDAAT = re.compile(r"(?<!\d)(\d[\d .-]{7,12}\d)(?!\d)")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "ul", "ol", "li", "code", "pre", "blockquote",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def is_bsn(cijfers: str) -> bool:
    """True when a 9-digit string passes the BSN eleven-test (elfproef)."""
    if len(cijfers) != 9 or not cijfers.isdigit() or cijfers == "000000000":
        return False
    totaal = sum(int(c) * w for c, w in zip(cijfers[:8], range(9, 1, -1), strict=True))
    return (totaal - int(cijfers[8])) % 11 == 0


def bevat_bsn(tekst: str) -> bool:
    """True when the text holds a number (spaces, dots, dashes allowed) passing the elfproef."""
    for kandidaat in BSN_KANDIDAAT.findall(tekst or ""):
        cijfers = re.sub(r"\D", "", kandidaat)
        if is_bsn(cijfers):
            return True
    return False


def geen_bsn(_form, field):
    """WTForms validator: refuse a BSN-like number and control characters in free text."""
    data = field.data or ""
    if CONTROL.search(data):
        raise ValidationError("De tekst bevat onzichtbare stuurtekens. Verwijder die.")
    if bevat_bsn(data):
        raise ValidationError(
            "De tekst bevat een nummer dat op een burgerservicenummer (BSN) lijkt. "
            "Leg hier geen gegevens van leerlingen vast."
        )


def markdown_naar_html(tekst: str) -> str:
    """Render Markdown and sanitise the OUTPUT with a small allow-list (store the result)."""
    html = markdown.markdown(tekst or "", extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
