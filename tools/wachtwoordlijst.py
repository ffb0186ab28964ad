"""Build content/veelgebruikte-wachtwoorden.txt: the list of common passwords the app refuses.

Sources (both lowercased, deduplicated, shortest kept out below 4 characters):
- the 30,000 most common passwords of zxcvbn 4.5.0 (MIT, Daniel Wolf / Dropbox), read from
  the installed package: `pip install zxcvbn==4.5.0` in a throw-away venv, then run this file;
- tools/wachtwoorden-nl.txt: Dutch words and patterns we added ourselves.

Run: python tools/wachtwoordlijst.py  (rewrites the content file; commit the result).
"""

from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

ROOT = Path(__file__).resolve().parent.parent
KOP = """\
# Veelgebruikte wachtwoorden: wie een van deze kiest (ook met cijfers of tekens ervoor of
# erachter) krijgt een ander wachtwoord te kiezen. Opgebouwd door tools/wachtwoordlijst.py uit
# de lijst van zxcvbn 4.5.0 (MIT-licentie, Daniel Wolf / Dropbox) en tools/wachtwoorden-nl.txt.
# Eén wachtwoord per regel, in kleine letters.
"""


def main() -> None:
    """Merge both sources into the content file."""
    eigen = (ROOT / "tools" / "wachtwoorden-nl.txt").read_text(encoding="utf-8").split()
    alle = [*eigen, *FREQUENCY_LISTS["passwords"]]
    gezien: dict[str, None] = {}
    for woord in alle:
        woord = woord.strip().casefold()
        if len(woord) >= 4 and not woord.startswith("#"):
            gezien.setdefault(woord, None)
    doel = ROOT / "content" / "veelgebruikte-wachtwoorden.txt"
    doel.write_text(KOP + "\n".join(gezien) + "\n", encoding="utf-8")
    print(f"{len(gezien)} wachtwoorden in {doel.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
