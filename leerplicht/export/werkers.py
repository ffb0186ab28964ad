"""Rendering in parallel: a worker forked per batch inherits the batch's loaded dossiers.

Jinja rendering is pure Python, so one process uses one core. Each batch is loaded in bulk,
detached from the session and handed to a worker forked at that moment: it gets the loaded
objects without pickling, renders and writes them into the new build and sends back what it
did, while this process loads the next batch. A worker dies with the export that started it,
so a killed export leaves no writer behind.
"""

import ctypes
import multiprocessing
import os
import signal
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import wait

from .doelen import ExportFout

VOORTGANG_ELKE = 50  # pages between progress messages of a worker


def werkers_voor(gevraagd: int, aantal: int, vanaf: int) -> int:
    """How many processes to use: several only for many pages, and never when the process
    has other threads (forking those is unsafe); else 1 (render in this process)."""
    if (
        gevraagd <= 1
        or aantal < vanaf
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 1
    return gevraagd


def _sterf_met_ouder(ouder: int) -> None:
    """Ask Linux to kill this worker when the export process dies (PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the per-page check below still stops an orphan soon
    if os.getppid() != ouder:
        os._exit(1)


def _werker(zend, taken: list, functie: Callable, ouder: int) -> None:
    """Process `taken` with `functie` in a forked worker; send progress, then the results."""
    _sterf_met_ouder(ouder)
    from ..extensions import db

    # This process renders from memory only: detach its copy of the loaded objects (a lazy
    # load fails loudly) and leave the parent's database connections alone.
    db.session.expunge_all()
    db.engine.dispose(close=False)
    uitkomsten = []
    try:
        for nummer, taak in enumerate(taken, 1):
            if os.getppid() != ouder:
                os._exit(1)
            uitkomsten.append(functie(taak))
            if nummer % VOORTGANG_ELKE == 0:
                zend.send(("stap", VOORTGANG_ELKE))
        zend.send(("stap", len(taken) % VOORTGANG_ELKE))
        zend.send(("klaar", uitkomsten))
    except ExportFout as fout:
        zend.send(("fout", str(fout)))
    except BaseException:
        zend.send(("fout", traceback.format_exc()))
    finally:
        zend.close()


class Werkpool:
    """At most `maximum` forked workers, each rendering one batch; results collected here."""

    def __init__(self, functie: Callable, maximum: int, stap: Callable[[int], None]):
        """A pool for `functie`, reporting progress through `stap`."""
        self.functie, self.maximum, self.stap = functie, maximum, stap
        self.context = multiprocessing.get_context("fork")
        self.ouder = os.getpid()
        self.lopend: dict = {}  # receiving end of a worker's pipe -> its process
        self.uitkomsten: list = []
        self.fouten: list[str] = []

    def geef(self, taken: list) -> None:
        """Start a worker for a batch, after waiting for a free slot."""
        while len(self.lopend) >= self.maximum:
            self._ontvang()
        ontvang, zend = self.context.Pipe(duplex=False)
        proces = self.context.Process(
            target=_werker, args=(zend, taken, self.functie, self.ouder), daemon=True
        )
        proces.start()
        zend.close()
        self.lopend[ontvang] = proces

    def _ontvang(self) -> None:
        """Handle the next messages of the running workers: progress, results or an error."""
        for ontvang in wait(list(self.lopend)):
            try:
                soort, inhoud = ontvang.recv()
            except EOFError:
                soort, inhoud = "fout", "Een werkproces van de export stopte onverwacht."
            if soort == "stap":
                self.stap(inhoud)
                continue
            if soort == "klaar":
                self.uitkomsten.extend(inhoud)
            else:
                self.fouten.append(inhoud)
            self.lopend.pop(ontvang).join()
            ontvang.close()

    def klaar(self) -> list:
        """Wait for every worker; return all results, or raise the workers' errors."""
        while self.lopend:
            self._ontvang()
        if self.fouten:
            raise ExportFout("\n".join(self.fouten))
        return self.uitkomsten

    def __enter__(self):
        """Use the pool in a with-block, so workers never outlive an error."""
        return self

    def __exit__(self, *_exc) -> None:
        """Stop workers that are still running (after an error in this process)."""
        for ontvang, proces in self.lopend.items():
            proces.kill()
            proces.join()
            ontvang.close()
        self.lopend.clear()
