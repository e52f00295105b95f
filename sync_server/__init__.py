"""The organisation's small sync server: FastAPI + SQLAlchemy, stores ciphertext it cannot read."""
