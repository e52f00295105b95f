"""Team work, end to end: identities, veiligheidsnummers, wrapped keys and the signed
membership log of a shared gezin (docs/sharing.md). Pure: no I/O, no Flet."""
