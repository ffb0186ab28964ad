"""Access policy of the production plumbing (collected by test_access.py)."""

POLICY = {
    # Monitoring calls it without logging in; it says nothing but ok/fout (test_productie.py).
    "health.health": ("ok", "ok", "ok", "ok", "ok", "ok"),
}
