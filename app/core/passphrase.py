"""How strong an account passphrase must be: it alone guards the vault against offline guessing.

Long enough is not enough: "a b c d" has four "words" and twelve spaces make twelve
characters. A passphrase passes with at least 12 characters of which at least 5 differ,
or with at least 4 different real words (3 letters or more); never when it is blank or
one of the well-known ones in `assets/weak_passphrases.txt`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from app.core.errors import WeakPassphrase

MIN_CHARS = 12
MIN_DISTINCT_CHARS = 5
MIN_WORDS = 4
MIN_WORD_LETTERS = 3
MIN_PIN_DIGITS = 6
BLOCKLIST = Path(__file__).resolve().parents[2] / "assets" / "weak_passphrases.txt"
_WORD = re.compile(rf"[^\W\d_]{{{MIN_WORD_LETTERS},}}")  # letters only
_NOT_ALNUM = re.compile(r"[\W_]+")


def check_passphrase(passphrase: str) -> str:
    """The passphrase if it is strong enough; WeakPassphrase (with the reason) if not."""
    if not passphrase.strip():
        raise WeakPassphrase("blank")
    if _is_known(passphrase):
        raise WeakPassphrase("common")
    words = {w.casefold() for w in _WORD.findall(passphrase)}
    long_enough = len(passphrase.strip()) >= MIN_CHARS
    varied = len(set(passphrase.casefold()) - set(" \t")) >= MIN_DISTINCT_CHARS
    if (long_enough and varied) or len(words) >= MIN_WORDS:
        return passphrase
    raise WeakPassphrase("repetitive" if long_enough else "short")


def _is_known(passphrase: str) -> bool:
    """On the list, also with other case, spaces or punctuation, or repeated ("welkomwelkom")."""
    bare = _NOT_ALNUM.sub("", passphrase.casefold())
    known = _blocklist()
    return bare in known or any(
        bare == entry * (len(bare) // len(entry)) for entry in known if len(bare) % len(entry) == 0
    )


@cache
def _blocklist() -> frozenset[str]:
    lines = BLOCKLIST.read_text(encoding="utf-8").splitlines()
    return frozenset(
        _NOT_ALNUM.sub("", line.casefold()) for line in lines if line.strip() and line[0] != "#"
    )


def refusal(passphrase: str) -> str | None:
    """Why `check_passphrase` refuses it ("short", "common", ...), None if it passes: the
    strength meter says what the rule says."""
    try:
        check_passphrase(passphrase)
    except WeakPassphrase as weak:
        return weak.reason
    return None


def strength(passphrase: str) -> int:
    """0–4 for the strength meter on the set-passphrase screen (0 = refused)."""
    if refusal(passphrase) is not None:
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
