"""Enrol this phone with the organisation's server: one-time code + account passphrase.

First device of an account: its user key is escrowed, wrapped under a key derived
from the passphrase (the server cannot unwrap it), with the login authenticator
derived from the same stretch by another HKDF label. A further device: the server
checks the authenticator, hands back the envelope, and the phone unwraps it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.core.errors import InvalidInput, WrongPassphrase
from app.core.passphrase import check_passphrase
from app.sync.transport import ServerClient, TlsConfig
from app.vault import Vault, keys
from app.vault.atomic import write_atomic
from app.vault.crypto import Aead, AuthenticationFailed, ScryptParams, b64decode, b64encode

ESCROW_AD = b"dichtbij v1 escrowed user key"
CA_FILE_NAME = "server-ca.pem"
SHARING_AD = b"dichtbij v1 escrowed sharing key"


def _ad(label: bytes, kdf: dict[str, Any]) -> bytes:
    return label + json.dumps(kdf, sort_keys=True, separators=(",", ":")).encode()


#: opens the local vault, creating it (with the given user key, if any) when missing
VaultFactory = Callable[[bytes | None], Vault]


def enrol(
    open_vault: VaultFactory,
    passphrase: str,
    server: str,
    code: str,
    tls: TlsConfig | None = None,
    device_name: str = "toestel",
    kdf: dict[str, int] | None = None,
) -> Vault:
    """Enrol and return the open vault. `kdf` overrides the Scrypt cost (tests only)."""
    check_passphrase(passphrase)
    client = ServerClient(server, tls)
    try:
        begin = client.enrol_begin(code)
        if begin["existing"]:
            return _further_device(open_vault, passphrase, client, code, begin, device_name)
        return _first_device(open_vault, passphrase, client, code, device_name, kdf)
    finally:
        client.close()


def _first_device(
    open_vault: VaultFactory,
    passphrase: str,
    client: ServerClient,
    code: str,
    device_name: str,
    kdf: dict[str, int] | None,
) -> Vault:
    vault = open_vault(None)
    try:
        params = keys.new_kdf_params(**(kdf or keys.PASSPHRASE_KDF))
        derived = keys.derive_from_passphrase(passphrase, params)
        wrap = Aead(derived.kek)
        kdf_json = params.to_json()
        sharing = X25519PrivateKey.generate()
        public = sharing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        private = sharing.private_bytes_raw()
        answer = client.enrol_complete(
            {
                "code": code,
                "authenticator": b64encode(derived.authenticator),
                "device_name": device_name,
                "new_account": {
                    "kdf": kdf_json,
                    "envelope": b64encode(wrap.seal(vault.account_key(), _ad(ESCROW_AD, kdf_json))),
                    "public_key": b64encode(public),
                    "wrapped_private_key": b64encode(wrap.seal(private, _ad(SHARING_AD, kdf_json))),
                },
            }
        )
        _remember(vault, client, answer)
        return vault
    except BaseException:
        vault.close()
        raise


def _further_device(
    open_vault: VaultFactory,
    passphrase: str,
    client: ServerClient,
    code: str,
    begin: dict[str, Any],
    device_name: str,
) -> Vault:
    try:
        params = ScryptParams.from_json(begin["kdf"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("server", "bad_answer") from None
    derived = keys.derive_from_passphrase(passphrase, params)
    answer = client.enrol_complete(
        {
            "code": code,
            "authenticator": b64encode(derived.authenticator),
            "device_name": device_name,
        }
    )
    escrow = answer["escrow"]
    try:
        user_key = Aead(derived.kek).open(
            b64decode(escrow["envelope"]), _ad(ESCROW_AD, escrow["kdf"])
        )
    except (AuthenticationFailed, KeyError, ValueError):
        raise WrongPassphrase("escrowed key did not open", tried="passphrase") from None
    vault = open_vault(user_key)
    try:
        if vault.account_key() != user_key:
            vault.set_account_key(user_key)  # a vault used offline before: keep its own key
        _remember(vault, client, answer)
        return vault
    except BaseException:
        vault.close()
        raise


def _remember(vault: Vault, client: ServerClient, answer: dict[str, Any]) -> None:
    """Keep the server settings and the device credential inside the encrypted vault; a copy
    of the organisation's certificate (public) sits beside it, so the original may move."""
    ca_file = None
    if client.tls.ca_file:
        ca_file = str(vault.data_dir / CA_FILE_NAME)
        write_atomic(Path(ca_file), Path(client.tls.ca_file).read_bytes())
    server = {
        "url": client.url,
        "ca_file": ca_file,
        "fingerprint": client.tls.fingerprint,
        "device_id": answer["device_id"],
        "credential": answer["credential"],
        "login": answer["login"],
        "team": answer["team"],
        # The organisation's catalogue-signing key, pinned now; later catalogues must match it.
        "catalogue_key": answer.get("catalogue_key"),
    }
    vault.update_local({"set": {"server": server, "cursor": 0}})


def fingerprint_of(pem: bytes) -> str:
    """SHA-256 fingerprint of a PEM certificate, for pinning at enrolment."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    return x509.load_pem_x509_certificate(pem).fingerprint(hashes.SHA256()).hex()
