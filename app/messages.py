"""Every error a person can meet, as one plain Dutch sentence: the only place they are worded."""

from __future__ import annotations

from app.core import kinds
from app.core.errors import (
    DeviceRevoked,
    DichtbijError,
    GrantRefused,
    InvalidInput,
    MembershipRefused,
    NotEnrolled,
    NotFound,
    PinBackoff,
    PinDisabled,
    ServerRejected,
    ServerUnreachable,
    StorageFull,
    UnsupportedFormat,
    UntrustedAnswer,
    VaultCorrupt,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultMissing,
    WeakPassphrase,
    WrongPassphrase,
)
from app.core.passphrase import MIN_CHARS, MIN_PIN_DIGITS, MIN_WORD_LETTERS, MIN_WORDS

FIELDS = {
    "text": "De tekst van de notitie",
    "name": "De naam",
    "member": "De naam van een gezinslid",
    "relation": "De relatie",
    "domain": "Het levensdomein",
    "setting": "De setting",
    "contact": "Het soort contact",
    "attempt_reason": "De reden van de poging",
    "visibility": "De zichtbaarheid",
    "barrier": "De drempel",
    "phase": "De fase",
    "case_status": "De status",
    "revisit": "De datum om terug op te nemen",
    "follow_up": "De opvolging",
    "follow_up_due": "De datum van de opvolging",
    "draagkracht": "Draagkracht",
    "draaglast": "Draaglast",
    "reach_channel": "De manier om iemand te bereiken",
    "referrer": "Aangemeld door",
    "best_moment": "Het beste moment",
    "support_mode": "Wie het doet",
    "birth_year": "Het geboortejaar",
    "id": "Het id",
    "input": "De invoer",
    "passphrase": "De wachtzin",
    "server": "Het serveradres",
    "pin": "De pincode",
    "keystore": "De sleutelopslag",
    "profile": "De antwoorden van Rechten verkennen",
    "fingerprint": "Het veiligheidsnummer",
    "colleague": "De collega",
    "team_setting": "De teaminstelling",
    "sector": "De sector",
    "ring": "De ring",
    "tie": "De band",
    "support": "De steun",
    "role": "De rol",
    "note": "De notitie",
    "organisation": "Organisatie of dienst",
    "label": "De naam van de momentopname",
    "day": "De datum",
    "prompt": "De netwerkvraag",
    "consent": "De datum van de toestemming van de cliënt",
    "export": "Het soort export",
    "right": "Het recht",
    "right_status": "De status van het recht",
    "non_take_up": "De reden van niet-opname",
    "who": "Wie doet wat",
    "next_step_day": "De datum van de volgende stap",
    "deadline": "De uiterste datum",
    "not_seen_weeks": "Het aantal weken",
    "case": "Het gezin",
    "signaal": "Het signaal",
}

# The Dutch name of every kind of record (app/core/kinds.py), and of a conflict copy.
KINDS = {**{kind.name: kind.label for kind in kinds.ALL}, "conflict": "conflict"}


# One sentence per error class; `{name}` fields come from the error's details.
SENTENCES: dict[type[DichtbijError], str] = {
    WeakPassphrase: f"Kies een sterkere wachtzin: minstens {MIN_CHARS} tekens, of {MIN_WORDS} "
    f"echte woorden (van minstens {MIN_WORD_LETTERS} letters).",
    WrongPassphrase: "Die wachtzin of pincode klopt niet.",
    PinBackoff: "Foute pincode: probeer opnieuw over {wait:.0f} seconden.",
    PinDisabled: "De pincode is uitgeschakeld. Ontgrendel met je wachtzin.",
    VaultLocked: "De kluis is vergrendeld. Ontgrendel eerst.",
    VaultInUse: "De kluis is in gebruik door een ander programma. Sluit dat eerst.",
    VaultMissing: "Er is hier nog geen kluis. Maak er eerst een aan (dichtbij init).",
    VaultExists: "Er bestaat hier al een kluis; er is niets overschreven.",
    StorageFull: "Het geheugen van dit toestel is vol: dit is niet bewaard. Maak ruimte vrij "
    "(bijvoorbeeld foto's of apps) en probeer opnieuw; je tekst staat er nog.",
    UnsupportedFormat: "Deze kluis komt van een nieuwere versie van Dichtbij. Werk de app bij.",
    VaultCorrupt: "De kluis is beschadigd of aangepast en wordt niet geopend. "
    "Er is niets gewijzigd.",
    DeviceRevoked: "Dit toestel is ingetrokken door je beheerder en de kluis is gewist "
    "({unsynced} niet-gesynchroniseerde items gingen verloren).",
    ServerRejected: "De server weigerde dit (code {status}). Probeer later opnieuw; blijft het, "
    "meld het aan de helpdesk en geef die code door.",
    ServerUnreachable: "De server is niet bereikbaar. Je notities blijven veilig op dit toestel; "
    "probeer later opnieuw.",
    NotEnrolled: "Dit toestel is nog niet gekoppeld aan een server (dichtbij enroll).",
    UntrustedAnswer: "De server stuurde gegevens die niet kloppen; ze zijn geweigerd en er is "
    "niets gewijzigd.",
    GrantRefused: "Een gedeelde sleutel gaat niet open met jouw sleutel: hij is niet voor jou "
    "bestemd of werd onderweg aangepast. Vraag de collega die deelde om opnieuw te delen.",
}
# What the server refused, by its error code (sync_server/errors.py) and where: said as what
# to do next. The server's own reason is English for its logs and never shown.
REFUSED_ENROL = {
    "unauthorized": "De server aanvaardt die code of wachtzin niet. Kijk de eenmalige code van "
    "je beheerder na en typ je wachtzin opnieuw. Is de code verlopen of al gebruikt, vraag dan "
    "een nieuwe.",
    "conflict": "Je account is intussen al op een ander toestel gekoppeld. Vraag je beheerder "
    "een nieuwe eenmalige code en koppel opnieuw.",
}
REFUSED = {
    "too_many_attempts": "Te veel pogingen na elkaar. Wacht {wait} en probeer dan opnieuw.",
    "unauthorized": "De server kent dit toestel niet (meer). Vraag je beheerder een nieuwe "
    "eenmalige code en koppel dit toestel opnieuw.",
    "device_revoked": "Dit toestel is ingetrokken door je beheerder.",
    "forbidden": "Je account mag dit niet op de server. Vraag het na bij je beheerder.",
    "too_large": "Dit is te groot om in één keer naar de server te sturen (code 413). "
    "Je gegevens blijven op dit toestel; meld het aan de helpdesk.",
}
# A membership entry (docs/sharing.md) refused, per reason: one that came in, or one this
# worker tried to make (`mine`).
_CHANGE = "Een wijziging van wie dit gezin kan lezen"
MEMBERSHIP = {
    "malformed": f"{_CHANGE} is onleesbaar en werd geweigerd. Er is niets veranderd.",
    "signature": f"{_CHANGE} is niet echt ondertekend door een collega en werd geweigerd. "
    "Er is niets veranderd; meld het aan je beheerder.",
    "epoch": f"{_CHANGE} kwam in de verkeerde volgorde aan en werd geweigerd. "
    "Synchroniseer opnieuw.",
    "prev": f"{_CHANGE} past niet op de vorige wijziging en werd geweigerd. Synchroniseer "
    "opnieuw; blijft het, meld het aan je beheerder.",
    "signer": f"{_CHANGE} komt van iemand die het gezin niet kon lezen en werd geweigerd.",
    "members": f"{_CHANGE} klopt niet met wie het gezin kon lezen en werd geweigerd.",
    "unverified": f"{_CHANGE} komt van een collega die je nog niet controleerde. Vergelijk "
    "eerst jullie veiligheidsnummer (onder Meer, Collega's); tot dan wacht de wijziging.",
}
MEMBERSHIP_MINE = {
    "members": "Dat kan niet: die collega kan dit gezin al lezen, of kan het niet lezen.",
    "signer": "Je kan dit gezin niet delen: je kan het zelf niet (meer) lezen.",
    "unverified": "Controleer eerst het veiligheidsnummer van die collega (onder Meer, Collega's).",
}
# A wrong secret names the one that was tried: a worker without a PIN never reads "pincode".
WRONG_SECRET = {
    "passphrase": "Die wachtzin klopt niet.",
    "pin": "Die pincode klopt niet.",
}
WEAK_PASSPHRASE = {
    "blank": "De wachtzin mag niet leeg zijn of alleen uit spaties bestaan.",
    "common": "Die wachtzin is te bekend en wordt als eerste geraden. Kies iets van jezelf, "
    "bijvoorbeeld 4 woorden die niet bij elkaar horen.",
    "repetitive": "Die wachtzin herhaalt te veel dezelfde tekens. Kies minstens "
    f"{MIN_CHARS} tekens met afwisseling, of {MIN_WORDS} verschillende woorden.",
}
FALLBACK = "Er ging iets mis. Er is niets verloren; probeer het opnieuw."


def describe(error: DichtbijError) -> str:
    """One sentence for a person; it never repeats client text."""
    if isinstance(error, WeakPassphrase):
        return WEAK_PASSPHRASE.get(error.reason, SENTENCES[WeakPassphrase])
    if isinstance(error, WrongPassphrase):
        return WRONG_SECRET.get(error.tried or "", SENTENCES[WrongPassphrase])
    if isinstance(error, InvalidInput):
        return _invalid(error)
    if isinstance(error, NotFound):
        kind = KINDS.get(error.kind, error.kind)
        return f"Geen {kind} gevonden met id {error.details['record_id']}."
    if isinstance(error, MembershipRefused):
        mine = MEMBERSHIP_MINE.get(error.reason) if error.details.get("mine") else None
        return mine or MEMBERSHIP[error.reason]
    if type(error) is ServerRejected:
        return _refused(error)
    for cls in type(error).__mro__:
        if cls in SENTENCES:
            return SENTENCES[cls].format(**error.details)
    return FALLBACK


def _refused(error: ServerRejected) -> str:
    code = str(error.details.get("error") or "")
    enrolling = str(error.details.get("path") or "").startswith("/v1/enrol")
    sentence = (REFUSED_ENROL.get(code) if enrolling else None) or REFUSED.get(code)
    if sentence is None:
        return SENTENCES[ServerRejected].format(status=error.details.get("status", "?"))
    return sentence.format(wait=_wait(error.details.get("retry_after")))


def _wait(seconds: object) -> str:
    if not isinstance(seconds, int) or seconds <= 0:
        return "even"
    if seconds < 120:
        return f"{seconds} seconden"
    return f"{-(-seconds // 60)} minuten"


def _invalid(error: InvalidInput) -> str:
    what = FIELDS.get(error.field, f"Het veld '{error.field}'")
    problem = error.problem
    if problem == "empty":
        return f"{what} mag niet leeg zijn."
    if problem == "too_long":
        return f"{what} is te lang (maximaal {error.details['limit']} tekens)."
    if problem == "unknown_code":
        codes = error.details.get("allowed", ())
        allowed = ", ".join(map(str, codes)) if isinstance(codes, (list, tuple)) else ""
        return f"{what} '{error.details.get('value')}' bestaat niet. Kies uit: {allowed}."
    if problem == "bad_date":
        return (
            f"{what} is geen geldige datum. Schrijf de dag en de maand, bijvoorbeeld 4-12 "
            "of 4-12-2026."
        )
    if problem == "out_of_range":
        if "low" in error.details:
            return f"{what} moet tussen {error.details['low']} en {error.details['high']} liggen."
        return f"{what} ligt buiten het toegelaten bereik."
    if problem == "required_for_time_out":
        return "Een gezin op een lager pitje heeft een datum nodig om terug op te nemen."
    if problem == "only_for_attempts":
        return "Een reden van de poging past alleen bij een poging (aanklampen)."
    if problem == "not_unicode":
        return (
            f"{what} bevat tekens die geen geldige tekst zijn (ongeldige UTF-8). "
            "Er is niets bewaard; typ of plak de tekst opnieuw."
        )
    if problem == "control_characters":
        return f"{what} mag geen stuurtekens of tekens die de schrijfrichting omkeren bevatten."
    if problem == "bad_characters":
        return f"{what} bevat ongeldige tekens."
    if problem == "unknown_field":
        return f"{what} bevat een onbekend veld '{error.details.get('value')}'."
    if problem in ("not_json", "not_an_object"):
        return f"{what} is geen geldig JSON-object."
    if problem == "unreadable":
        return f"{what} kan niet gelezen worden."
    if problem in ("not_a_number", "not_yes_no", "bad_ages"):
        return f"{what}: het veld '{error.details.get('value')}' heeft een ongeldige waarde."
    if problem == "bad_answer":
        return "De server stuurde een antwoord dat niet klopt; er is niets gewijzigd."
    if problem == "insecure":
        return "Gebruik https:// voor de server (http:// kan alleen voor deze computer zelf)."
    if problem == "bad_url":
        return f"{what} is geen geldig adres (https://…)."
    if problem == "too_short" and error.field == "pin":
        return f"De pincode moet minstens {MIN_PIN_DIGITS} cijfers hebben."
    if problem == "not_secure":
        return "Dit toestel heeft geen veilige sleutelopslag: ontgrendel met je wachtzin."
    if problem == "pins_differ":
        return "De twee pincodes verschillen."
    if problem == "mismatch":
        return (
            "Het veiligheidsnummer klopt niet: de cijfers verschillen van wat deze telefoon "
            "voor die collega berekende. Vergelijk ze opnieuw, samen; blijven ze verschillen, "
            "deel dan niets en meld het aan je beheerder."
        )
    if problem == "no_team_key":
        return "Je ziet nog geen teamgegevens: een collega moet je eerst verifiëren."
    if problem == "not_yet" and error.field == "fingerprint":
        return "Je veiligheidsnummer verschijnt na je eerste synchronisatie (dichtbij sync)."
    if problem == "no_keys":
        return (
            "Die collega heeft nog geen veiligheidsnummer: het verschijnt nadat die collega "
            "de app koppelde en synchroniseerde. Synchroniseer daarna opnieuw."
        )
    if problem == "unknown" and error.field == "colleague":
        return (
            f"Geen collega '{error.details.get('value')}' in je team. Synchroniseer eerst; "
            "de lijst komt van de server."
        )
    if problem == "none":
        return f"{what} ontbreekt."
    if problem == "same_case":
        return "Kies twee verschillende gezinnen om samen te voegen."
    if problem == "linked_already":
        return "Dit signaal hoort al bij een gezin."
    return f"{what} is ongeldig."
