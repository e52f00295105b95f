"""A record's data as the plaintext of its sealed payload, and back.

Two encodings, told apart by the first byte (inside the ciphertext, so authenticated):

* `{` — compact JSON in UTF-8: every record sealed before compression, and any record
  that would not get smaller. Always opens.
* `0x01` — the same JSON, raw DEFLATE (zlib, standard library) with the preset
  dictionary `assets/sync_dictionary_1.txt`: field names, a typical note and frequent
  words, so that even a short note compresses. That file is frozen: a new dictionary
  is a new first byte, and every dictionary ever used stays in assets to open old records.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

JSON = ord("{")
DEFLATE_1 = 0x01
MAX_PLAINTEXT = 16 * 1024 * 1024  # inflating stops here: no decompression bomb
_DICTIONARIES = {
    DEFLATE_1: (Path(__file__).resolve().parents[2] / "assets" / "sync_dictionary_1.txt")
    .read_text(encoding="utf-8")
    .encode("utf-8")
}


class PayloadError(ValueError):
    """A plaintext in no known encoding, or one that does not inflate."""


def encode(data: dict[str, Any]) -> bytes:
    """The smaller of plain JSON and compressed JSON. A stored string that is not valid
    Unicode (a lone surrogate, saved by a build before such text was refused) cannot be
    UTF-8: then the JSON uses \\u escapes (ASCII), which give back exactly the same string.
    Never fails on a stored value."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raw = json.dumps(data, separators=(",", ":")).encode("ascii")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=_DICTIONARIES[DEFLATE_1])
    packed = bytes([DEFLATE_1]) + packer.compress(raw) + packer.flush()
    return packed if len(packed) < len(raw) else raw


def decode(plaintext: bytes) -> Any:
    if not plaintext:
        raise PayloadError("empty payload")
    if plaintext[0] == JSON:
        return json.loads(plaintext)
    zdict = _DICTIONARIES.get(plaintext[0])
    if zdict is None:
        raise PayloadError(f"unknown payload encoding {plaintext[0]}")
    unpacker = zlib.decompressobj(-15, zdict=zdict)
    try:
        raw = unpacker.decompress(plaintext[1:], MAX_PLAINTEXT)
    except zlib.error:
        raise PayloadError("payload does not inflate") from None
    if not unpacker.eof or unpacker.unconsumed_tail:
        raise PayloadError("payload inflates too far, or is cut short")
    return json.loads(raw)
