"""The output folder: every build in a new folder, switched live by replacing a symlink.

    DIR/brochure -> .export/brochure.7/site      (the live tree, what you upload)
    DIR/.export/brochure.7/manifest.json         (what the exporter wrote there, with hashes)
    DIR/.export/brochure.8.bouw/                 (a build in progress)
    DIR/.export/slot                             (lock: one export at a time)

An export that is killed leaves the live symlink on a complete build; the next run removes its
leftovers. Only files the exporter wrote are ever removed: a finished build by the list in its
manifest, an unfinished one (`*.bouw`, only ever filled by the exporter) as a whole.
"""

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
from pathlib import Path

from .doelen import ExportFout

PRIVE = ".export"
BOUWNAAM = re.compile(r"^(?P<doel>[a-z]+)\.(?P<nummer>\d+)(?P<bouw>\.bouw)?$")
# Unchanged files are hard-linked from the previous build (fast, no extra space); the benchmark
# turns this off to measure copying instead.
HARDE_LINKS = True
# Above this many new files, sync the file system once instead of each file.
VEEL_BESTANDEN = 64


def _fout(pad: Path, error: OSError) -> ExportFout:
    """A Dutch message for a file-system error on the output folder."""
    reden = {
        errno.EACCES: "geen schrijfrechten",
        errno.EPERM: "geen schrijfrechten",
        errno.EROFS: "alleen-lezen bestandssysteem",
        errno.ENOSPC: "de schijf is vol",
        errno.ENOTDIR: "een deel van het pad is geen map",
        errno.EEXIST: "er staat al een bestand met die naam",
    }.get(error.errno, error.strerror or str(error))
    return ExportFout(f"Kan niet schrijven in {pad}: {reden}.")


class Bouwmap:
    """A build in progress: files are written or carried over into `<doel>.<n>.bouw/site`.

    Plain string paths: this runs for every file of the tree, thousands of times.
    """

    def __init__(self, map_: Path, vorige_site: Path | None):
        """Prepare the build folder; `vorige_site` is the live tree to carry files from."""
        self.map = map_
        self.site = map_ / "site"
        self.site.mkdir()
        self._site = str(self.site)
        self._vorige = str(vorige_site) if vorige_site else None
        self._mappen = {""}

    def _pad(self, pad: str) -> str:
        """The absolute path of a tree file, its folders created once."""
        map_ = pad.rpartition("/")[0]
        if map_ not in self._mappen:
            # Folder by folder below site/, never site/ itself: a worker of a killed export
            # must not bring back a build folder the next run has removed.
            huidig = self._site
            for deel in map_.split("/"):
                huidig = os.path.join(huidig, deel)
                try:
                    os.mkdir(huidig)
                except FileExistsError:
                    pass
            self._mappen.add(map_)
        return f"{self._site}/{pad}"

    def schrijf(self, pad: str, data: bytes) -> None:
        """Write a new or changed file."""
        with open(self._pad(pad), "wb") as bestand:
            bestand.write(data)

    def vastleggen(self, paden: list[str]) -> None:
        """Put the files written (tree paths; carried-over ones are on disk already) and the
        manifest on disk before the build goes live: after a power cut the switch may be lost
        (the old build stays live), never the files under it. A few files are synced one by
        one, many at once with their whole file system."""
        if len(paden) > VEEL_BESTANDEN:
            _syncfs(self._site)
            return
        for pad in [*(f"{self._site}/{p}" for p in paden), str(self.map / "manifest.json")]:
            fd = os.open(pad, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def neem_over(self, pad: str) -> None:
        """Carry an unchanged file over from the live build (hard link, else a copy)."""
        bron, doel = f"{self._vorige}/{pad}", self._pad(pad)
        if HARDE_LINKS:
            try:
                os.link(bron, doel)
                return
            except OSError:
                pass  # a file system without hard links: copy
        shutil.copyfile(bron, doel)


class Uitvoermap:
    """The output folder DIR of `leerplicht export --out DIR`, opened and locked for one run."""

    def __init__(self, root: Path):
        """The output folder (not opened yet)."""
        self.root = Path(root).absolute()
        self.prive = self.root / PRIVE
        self._slot = None
        self.opgeruimd: list[str] = []

    # --- opening, locking, leftovers ----------------------------------------------------------

    def open(self) -> None:
        """Create DIR if needed, take the lock, and clean up what interrupted runs left."""
        if self.root.exists() and not self.root.is_dir():
            raise ExportFout(f"{self.root} is geen map.")
        try:
            self.prive.mkdir(parents=True, exist_ok=True)
            self._slot = open(self.prive / "slot", "a")  # held until close()
        except OSError as error:
            raise _fout(self.root, error) from error
        try:
            fcntl.flock(self._slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._slot.close()
            self._slot = None
            raise ExportFout(
                f"Er loopt al een export naar {self.root}; wacht tot die klaar is."
            ) from None
        self._ruim_op()

    def close(self) -> None:
        """Release the lock."""
        if self._slot is not None:
            self._slot.close()
            self._slot = None

    def _ruim_op(self) -> None:
        """Remove leftovers: unfinished builds, half-made symlinks, builds no longer live."""
        for pad in self.root.glob(".*.nieuw"):
            if pad.is_symlink():
                pad.unlink()
        levend = {self.live_bouw(doel) for doel in self._doelen()}
        for pad in sorted(self.prive.iterdir()):
            match = BOUWNAAM.match(pad.name)
            if not match or not pad.is_dir() or pad in levend:
                continue
            if match["bouw"]:
                shutil.rmtree(pad)
            else:
                self.verwijder_bouw(pad)
            self.opgeruimd.append(pad.name)

    def _doelen(self) -> set[str]:
        """Names of the targets that have builds in this folder."""
        return {m["doel"] for p in self.prive.iterdir() if (m := BOUWNAAM.match(p.name))}

    # --- the live build -----------------------------------------------------------------------

    def live_bouw(self, doel: str) -> Path | None:
        """The build folder DIR/<doel> points at, or None before the first export."""
        link = self.root / doel
        if not link.exists() and not link.is_symlink():
            return None
        doelwit = os.readlink(link) if link.is_symlink() else None
        verwacht = re.compile(rf"^{re.escape(PRIVE)}/{doel}\.\d+/site$")
        if doelwit is None or not verwacht.match(doelwit):
            raise ExportFout(
                f"{link} bestaat al en is niet door deze export gemaakt. Kies een andere map "
                "of verwijder het zelf."
            )
        bouw = (self.root / doelwit).parent
        return bouw if (bouw / "manifest.json").is_file() else None

    def manifest(self, doel: str) -> dict:
        """The manifest of the live build ({} before the first export)."""
        bouw = self.live_bouw(doel)
        if bouw is None:
            return {}
        return json.loads((bouw / "manifest.json").read_text(encoding="utf-8"))

    # --- a new build --------------------------------------------------------------------------

    def nieuwe_bouw(self, doel: str) -> Bouwmap:
        """Start a new build folder for the target, numbered after every existing one."""
        nummers = [
            int(m["nummer"]) for p in self.prive.iterdir()
            if (m := BOUWNAAM.match(p.name)) and m["doel"] == doel
        ]
        map_ = self.prive / f"{doel}.{max(nummers, default=0) + 1}.bouw"
        try:
            map_.mkdir()
        except OSError as error:
            raise _fout(self.prive, error) from error
        vorige = self.live_bouw(doel)
        return Bouwmap(map_, vorige / "site" if vorige else None)

    def publiceer(
        self, doel: str, bouwmap: Bouwmap, manifest: dict, geschreven: list[str],
        vorige_bestanden=None,
    ) -> None:
        """Make a finished build live: manifest, on disk, rename, swap the symlink, drop the
        old build (whose file list the caller may pass, read from its manifest already)."""
        vorige = self.live_bouw(doel)
        schrijf_json(bouwmap.map / "manifest.json", manifest)
        bouwmap.vastleggen(geschreven)
        klaar = bouwmap.map.with_name(bouwmap.map.name.removesuffix(".bouw"))
        os.rename(bouwmap.map, klaar)
        nieuw = self.root / f".{doel}.nieuw"
        os.symlink(f"{PRIVE}/{klaar.name}/site", nieuw)
        os.replace(nieuw, self.root / doel)  # the atomic switch
        if vorige is not None:
            self.verwijder_bouw(vorige, vorige_bestanden)

    def werk_manifest_bij(self, doel: str, manifest: dict) -> None:
        """Replace the live build's manifest (new fingerprints, same files) atomically."""
        bouw = self.live_bouw(doel)
        tijdelijk = bouw / "manifest.json.nieuw"
        schrijf_json(tijdelijk, manifest)
        os.replace(tijdelijk, bouw / "manifest.json")

    def verwijder_bouw(self, bouw: Path, bestanden=None) -> None:
        """Remove a finished build: the files its manifest lists (`bestanden`, when the caller
        has read it already), then the emptied folders."""
        manifest_pad = bouw / "manifest.json"
        if manifest_pad.is_file():
            if bestanden is None:
                bestanden = json.loads(manifest_pad.read_text(encoding="utf-8"))["bestanden"]
            site = str(bouw / "site")
            for pad in bestanden:
                try:
                    os.unlink(os.path.join(site, pad))
                except FileNotFoundError:
                    pass
            manifest_pad.unlink()
        for map_, _submappen, _bestanden in os.walk(bouw, topdown=False):
            try:
                os.rmdir(map_)
            except OSError:
                pass  # not empty: something the exporter did not write stays where it is


def json_bytes(data: dict) -> bytes:
    """JSON, deterministically (sorted keys, no spaces, non-ASCII as \\u escapes: the same
    data, written twice as fast as with ensure_ascii=False: 65 instead of 150 ms for the
    7.6 MB manifest of 8000 dossiers, on every run that publishes)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("ascii")


def schrijf_json(pad: Path, data: dict) -> None:
    """Write JSON deterministically."""
    pad.write_bytes(json_bytes(data))


def _syncfs(map_: str) -> None:
    """Flush the file system holding `map_` to disk (Linux syncfs; elsewhere everything)."""
    fd = os.open(map_, os.O_RDONLY)
    try:
        if ctypes.CDLL(None, use_errno=True).syncfs(fd) != 0:
            os.sync()
    except (AttributeError, OSError):
        os.sync()
    finally:
        os.close(fd)
