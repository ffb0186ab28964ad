"""Reading schools: the filtered school list and eager loading, in a fixed number of queries."""

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import exists, func, inspect, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..policy import zichtbare_scholen
from ..verzoek import positive_int
from .models import Contactpersoon, Contactrol, Kant, School, Sector, Toewijzing

PAGINA_GROOTTE = 50


@dataclass(frozen=True)
class Zoekopdracht:
    """The filters of the school list, taken from the query string."""

    q: str = ""
    sector: str = ""
    llz: int | None = None
    pagina: int = 1

    @classmethod
    def uit_args(cls, args) -> "Zoekopdracht":
        """Read the filters from request.args, ignoring values that make no sense."""
        sector = args.get("sector", "")
        return cls(
            q=args.get("q", "").strip()[:100],
            sector=sector if sector in {s.value for s in Sector} else "",
            llz=positive_int(args.get("llz")),
            pagina=positive_int(args.get("pagina")) or 1,
        )

    def args(self, **override) -> dict:
        """Query-string arguments for a link to this search (with overrides)."""
        values = {"q": self.q, "sector": self.sector, "llz": self.llz or "", "pagina": self.pagina}
        values.update(override)
        return {k: v for k, v in values.items() if v not in ("", None, 1)}


def met_contacten(query):
    """Eager-load each school's current contact roles and people (two extra queries in all)."""
    return query.options(
        selectinload(School.toewijzingen).joinedload(Toewijzing.contactpersoon)
    )


def zoek_scholen(user, zoek: Zoekopdracht) -> tuple[list, int]:
    """Return one page of the schools the user may see that match the filters, and the total.

    Plain rows (code, naam, sector, plaats, llz_naam: the current LLZ contact's name) in one
    query: the list shows no more, so no School or contact objects are built. The total comes
    with the rows (a window count); only a page past the end needs a second query.
    """
    conditions = [zichtbare_scholen(user)]
    if zoek.q:
        term = f"%{zoek.q.lower()}%"
        conditions.append(
            or_(
                func.lower(School.naam).like(term),
                func.lower(School.code).like(term),
                func.lower(School.plaats).like(term),
                func.lower(School.bestuur).like(term),
            )
        )
    if zoek.sector:
        conditions.append(School.sector == zoek.sector)
    if zoek.llz:
        conditions.append(
            School.id.in_(
                select(Toewijzing.school_id).where(
                    Toewijzing.actueel(),
                    Toewijzing.rol.in_([Contactrol.LLZ_CONTACT, Contactrol.LLZ_VERVANGER]),
                    Toewijzing.contactpersoon_id == zoek.llz,
                )
            )
        )
    llz_naam = (
        select(Contactpersoon.naam)
        .join(Toewijzing, Toewijzing.contactpersoon_id == Contactpersoon.id)
        .where(Toewijzing.school_id == School.id, Toewijzing.actueel(),
               Toewijzing.rol == Contactrol.LLZ_CONTACT)
        .order_by(Toewijzing.id)
        .limit(1)
        .correlate(School)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(School.code, School.naam, School.sector, School.plaats,
               llz_naam.label("llz_naam"), func.count().over().label("totaal"))
        .where(*conditions)
        .order_by(School.naam, School.code)
        .limit(PAGINA_GROOTTE)
        .offset((zoek.pagina - 1) * PAGINA_GROOTTE)
    ).all()
    if rows:
        totaal = rows[0].totaal
    else:
        totaal = db.session.scalar(select(func.count(School.id)).where(*conditions))
    return list(rows), totaal


def llz_contactpersonen() -> list[Contactpersoon]:
    """Active LLZ contact persons, for filters and selects."""
    return list(
        db.session.scalars(
            select(Contactpersoon)
            .where(Contactpersoon.kant == Kant.LLZ, Contactpersoon.actief.is_(True))
            .order_by(Contactpersoon.naam)
        )
    )


def teamleider() -> Contactpersoon | None:
    """The LLZ team leader: the LLZ side of the rode knop (read once per request)."""
    if has_request_context() and "teamleider" in g:
        return g.teamleider
    leider = db.session.scalars(
        select(Contactpersoon)
        .where(Contactpersoon.teamleider.is_(True), Contactpersoon.actief.is_(True))
        .order_by(Contactpersoon.id)
    ).first()
    if has_request_context():
        g.teamleider = leider
    return leider


def laad_scholen(school_ids) -> list[School]:
    """Load schools with their contacts eagerly, sorted by name (three queries in all)."""
    return list(
        db.session.scalars(
            met_contacten(select(School))
            .where(School.id.in_(list(school_ids)))
            .order_by(School.naam, School.code)
        )
    )


def laad_contacten(school: School) -> School:
    """Load the current contacts of an already loaded school (one query, not re-reading it)."""
    if "toewijzingen" in inspect(school).unloaded:
        toewijzingen = db.session.scalars(
            select(Toewijzing)
            .options(joinedload(Toewijzing.contactpersoon))
            .where(Toewijzing.school_id == school.id, Toewijzing.actueel())
            .order_by(Toewijzing.rol)  # as the relationship orders them
        ).all()
        set_committed_value(school, "toewijzingen", list(toewijzingen))
    return school


def heeft_contact(school_id_column, rol: Contactrol):
    """SQL condition: the school has someone in this contact role today."""
    return exists().where(
        Toewijzing.school_id == school_id_column,
        Toewijzing.actueel(),
        Toewijzing.rol == rol,
    )
