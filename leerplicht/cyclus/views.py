"""The blueprint of the yearly cycle; the view modules (bezoeken, evaluatieviews, klankbord,
normbeheer, planning, agenda) add their routes to it."""

from flask import Blueprint

bp = Blueprint("cyclus", __name__)
