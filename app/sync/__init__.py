"""Sync client: outbox, pull cursor, conflict merge. Never imported by the UI directly."""
