"""Access policy of the termijnen figures (collected by test_access.py)."""

LLZ = ("login", "403", "403", "ok", "ok", "ok")

POLICY = {
    "termijnen.cijfers": LLZ,
}

FORMULIEREN = {}
