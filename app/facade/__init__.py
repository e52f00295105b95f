"""The parts of the one facade (`app.services.Services`), one concern each: the UI and the
CLI still use only `Services`, which mixes them in."""
