"""How strong an account passphrase must be: it alone guards the vault against offline guessing."""

from __future__ import annotations

from app.core.errors import WeakPassphrase

MIN_CHARS = 12
MIN_WORDS = 4
MIN_PIN_DIGITS = 6


def check_passphrase(passphrase: str) -> str:
    """Accept ≥ 12 characters or ≥ 4 words; anything shorter is refused."""
    words = [w for w in passphrase.split() if w]
    if len(passphrase) >= MIN_CHARS or len(words) >= MIN_WORDS:
        return passphrase
    raise WeakPassphrase()


def strength(passphrase: str) -> int:
    """0–4 for the strength meter on the set-passphrase screen (0 = refused)."""
    try:
        check_passphrase(passphrase)
    except WeakPassphrase:
        return 0
    classes = sum(
        any(test(c) for c in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len(passphrase.split())
    score = 1 + (len(passphrase) >= 16) + (classes >= 3 or words >= 5) + (len(passphrase) >= 24)
    return min(score, 4)


def is_valid_pin(pin: str) -> bool:
    return pin.isdigit() and len(pin) >= MIN_PIN_DIGITS
