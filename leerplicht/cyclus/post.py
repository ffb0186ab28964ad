"""Outgoing mail: the SMTP server from one URL setting, and sending over it (the only smtplib)."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

# Port per scheme when the URL names none: SMTP submission with STARTTLS, plain SMTP, SMTPS.
STANDAARDPOORT = {"smtp": 25, "smtps": 465}
STARTTLS_POORT = 587
JA = {"1", "true", "ja", "yes", "on"}
NEE = {"0", "false", "nee", "no", "off", ""}


class Postfout(Exception):
    """The mail server could not be reached or refused a message (Dutch message)."""


@dataclass(frozen=True)
class Smtpserver:
    """Where and how to deliver mail, read from LEERPLICHT_SMTP_URL."""

    host: str
    poort: int
    ssl: bool = False  # smtps://: TLS from the first byte
    starttls: bool = False  # smtp://...?starttls=1: upgrade the plain connection
    gebruiker: str = ""
    wachtwoord: str = ""

    @property
    def naam(self) -> str:
        """The server as shown in messages (never the password)."""
        return f"{self.host}:{self.poort}"


def lees_smtp_url(url: str) -> Smtpserver:
    """Parse smtp://[user:pass@]host[:port][?starttls=1] or smtps://...; ValueError in Dutch."""
    voorbeeld = "bijvoorbeeld smtp://127.0.0.1:8025 of smtps://mail.example.nl:465"
    try:
        delen = urlsplit(url.strip())
        poort = delen.port
    except ValueError as error:
        raise ValueError(f"LEERPLICHT_SMTP_URL is geen geldig adres ({voorbeeld}).") from error
    schema = delen.scheme.lower()
    if schema not in STANDAARDPOORT:
        raise ValueError(f"LEERPLICHT_SMTP_URL moet beginnen met smtp:// of smtps:// "
                         f"({voorbeeld}).")
    if not delen.hostname:
        raise ValueError(f"LEERPLICHT_SMTP_URL noemt geen server ({voorbeeld}).")
    opties = {sleutel.lower(): waarden[-1].strip().lower()
              for sleutel, waarden in parse_qs(delen.query, keep_blank_values=True).items()}
    onbekend = set(opties) - {"starttls"}
    if onbekend:
        raise ValueError(f"LEERPLICHT_SMTP_URL kent de optie {sorted(onbekend)[0]!r} niet; "
                         f"alleen starttls=1 bestaat.")
    waarde = opties.get("starttls", "")
    if waarde not in JA | NEE:
        raise ValueError("LEERPLICHT_SMTP_URL: starttls moet 1 of 0 zijn.")
    starttls = waarde in JA
    if starttls and schema == "smtps":
        raise ValueError("LEERPLICHT_SMTP_URL: smtps:// is al versleuteld; laat starttls weg.")
    if poort is None:
        poort = STARTTLS_POORT if starttls else STANDAARDPOORT[schema]
    return Smtpserver(
        host=delen.hostname,
        poort=poort,
        ssl=schema == "smtps",
        starttls=starttls,
        gebruiker=unquote(delen.username or ""),
        wachtwoord=unquote(delen.password or ""),
    )


class Postkantoor:
    """One connection to the SMTP server for a whole run; use as a context manager."""

    def __init__(self, server: Smtpserver, timeout: float = 30):
        """Remember the server; connecting happens on entering."""
        self.server = server
        self.timeout = timeout
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Postkantoor":
        """Connect, secure and log in as the URL says; Postfout naming the server on failure."""
        server = self.server
        try:
            if server.ssl:
                self.smtp = smtplib.SMTP_SSL(server.host, server.poort, timeout=self.timeout,
                                             context=ssl.create_default_context())
            else:
                self.smtp = smtplib.SMTP(server.host, server.poort, timeout=self.timeout)
                if server.starttls:
                    self.smtp.starttls(context=ssl.create_default_context())
            if server.gebruiker:
                self.smtp.login(server.gebruiker, server.wachtwoord)
        except (OSError, smtplib.SMTPException) as error:
            self._sluit()
            raise Postfout(f"De mailserver {server.naam} is niet bereikbaar of weigert de "
                           f"verbinding: {error}") from error
        return self

    def verstuur(self, bericht: EmailMessage) -> None:
        """Send one message; Postfout naming the server when it is not accepted."""
        try:
            self.smtp.send_message(bericht)
        except (OSError, smtplib.SMTPException) as error:
            raise Postfout(f"De mailserver {self.server.naam} nam de e-mail aan "
                           f"{bericht['To']} niet aan: {error}") from error

    def _sluit(self) -> None:
        """Close the connection, politely when possible."""
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()
        self.smtp = None

    def __exit__(self, *exc) -> None:
        """Close the connection."""
        self._sluit()
