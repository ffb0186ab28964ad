"""Access policy of the export area's endpoints (collected by test_access.py)."""

POLICY = {
    # The werkafspraken brochure: every logged-in user (it is public on the website anyway).
    "brochure.werkafspraken": ("login", "ok", "ok", "ok", "ok", "ok"),
}
