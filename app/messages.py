"""Every error a person can meet, as one plain Dutch sentence: the only place they are worded."""

from __future__ import annotations

from app.core.errors import (
    DichtbijError,
    InvalidInput,
    NotFound,
    PinBackoff,
    PinDisabled,
    UnsupportedFormat,
    VaultCorrupt,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultMissing,
    WeakPassphrase,
    WrongPassphrase,
)

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
    "birth_year": "Het geboortejaar",
    "id": "Het id",
    "passphrase": "De wachtzin",
}

KINDS = {"case": "gezin", "note": "notitie"}


def describe(error: DichtbijError) -> str:
    """One sentence for a person; it never repeats client text."""
    if isinstance(error, WeakPassphrase):
        return "Kies een sterkere wachtzin: minstens 12 tekens of 4 woorden."
    if isinstance(error, InvalidInput):
        return _invalid(error)
    if isinstance(error, NotFound):
        kind = KINDS.get(error.kind, error.kind)
        return f"Geen {kind} gevonden met id {error.details['record_id']}."
    if isinstance(error, WrongPassphrase):
        return "Die wachtzin of pincode klopt niet."
    if isinstance(error, PinBackoff):
        return f"Te veel foute pogingen. Probeer opnieuw over {error.wait_seconds:.0f} seconden."
    if isinstance(error, PinDisabled):
        return "De pincode is uitgeschakeld. Ontgrendel met je wachtzin."
    if isinstance(error, VaultLocked):
        return "De kluis is vergrendeld. Ontgrendel eerst."
    if isinstance(error, VaultInUse):
        return "De kluis is in gebruik door een ander programma. Sluit dat eerst."
    if isinstance(error, VaultMissing):
        return "Er is hier nog geen kluis. Maak er eerst een aan (dichtbij init)."
    if isinstance(error, VaultExists):
        return "Er bestaat hier al een kluis; er is niets overschreven."
    if isinstance(error, UnsupportedFormat):
        return "Deze kluis komt van een nieuwere versie van Dichtbij. Werk de app bij."
    if isinstance(error, VaultCorrupt):
        return "De kluis is beschadigd of aangepast en wordt niet geopend. Er is niets gewijzigd."
    return "Er ging iets mis. Er is niets verloren; probeer het opnieuw."


def _invalid(error: InvalidInput) -> str:
    what = FIELDS.get(error.field, f"Het veld '{error.field}'")
    problem = error.problem
    if problem == "empty":
        return f"{what} mag niet leeg zijn."
    if problem == "too_long":
        return f"{what} is te lang (maximaal {error.details['limit']} tekens)."
    if problem == "unknown_code":
        allowed = ", ".join(error.details.get("allowed", ()))
        return f"{what} '{error.details.get('value')}' bestaat niet. Kies uit: {allowed}."
    if problem == "bad_date":
        return f"{what} is geen geldige datum (gebruik JJJJ-MM-DD)."
    if problem == "out_of_range":
        if "low" in error.details:
            return f"{what} moet tussen {error.details['low']} en {error.details['high']} liggen."
        return f"{what} ligt buiten het toegelaten bereik."
    if problem == "required_for_time_out":
        return "Een gezin op een lager pitje heeft een datum nodig om terug op te nemen."
    if problem == "only_for_attempts":
        return "Een reden van de poging past alleen bij een poging (aanklampen)."
    if problem == "bad_characters":
        return f"{what} bevat ongeldige tekens."
    if problem == "none":
        return f"{what} ontbreekt."
    return f"{what} is ongeldig."
