"""Pure domain of Dichtbij: models, vocabularies and rules. No I/O, no Flet."""
