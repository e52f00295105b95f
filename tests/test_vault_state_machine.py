"""Random sequences of adds, edits, deletes, lock/unlock, close/reopen and compaction
must leave the vault equal to a plain in-memory model."""

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

from app.core.text import BIDI_CONTROLS
from app.core.vocabulary import vocabulary
from app.services import open_vault
from tests.conftest import FAST_KDF, PASSPHRASE

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=80,
).filter(lambda t: t.strip())
# Names may hold no control or bidi characters (app.core.text.clean_name).
names = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="".join(BIDI_CONTROLS)
    ),
    min_size=1,
    max_size=80,
).filter(lambda t: t.strip())
domains = st.lists(st.sampled_from(vocabulary("domain").codes), max_size=3, unique=True)
OPTIONS = {"journal_min": 1024, "journal_max": 4096}


class VaultMachine(RuleBasedStateMachine):
    cases = Bundle("cases")
    notes = Bundle("notes")

    def __init__(self):
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="dichtbij-sm-"))
        self.app = open_vault(self.dir / "v", PASSPHRASE, create=True, kdf=FAST_KDF, **OPTIONS)
        self.model_cases: dict[str, str] = {}
        self.model_notes: dict[str, tuple[str | None, str, tuple[str, ...]]] = {}

    def teardown(self):
        self.app.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _unlocked(self):
        if self.app.locked:
            self.app.unlock(PASSPHRASE)

    @rule(target=cases, name=names)
    def add_case(self, name):
        self._unlocked()
        case_id = self.app.add_case(name)
        self.model_cases[case_id] = name.strip()
        return case_id

    @rule(target=notes, case=st.one_of(st.none(), cases), text=texts, doms=domains)
    def add_note(self, case, text, doms):
        self._unlocked()
        if case is not None and case not in self.model_cases:
            return None
        note_id = self.app.add_note(case, text, domains=doms)
        self.model_notes[note_id] = (case, text.strip(), tuple(doms))
        return note_id

    @rule(note=notes, text=texts)
    def edit_note(self, note, text):
        self._unlocked()
        if note not in self.model_notes:
            return
        self.app.edit_note(note, text=text)
        case, _, doms = self.model_notes[note]
        self.model_notes[note] = (case, text.strip(), doms)

    @rule(note=consumes(notes))
    def delete_note(self, note):
        self._unlocked()
        if note in self.model_notes:
            self.app.delete_note(note)
            del self.model_notes[note]

    @rule(case=consumes(cases))
    def delete_case(self, case):
        self._unlocked()
        if case in self.model_cases:
            self.app.delete_case(case)
            del self.model_cases[case]
            self.model_notes = {k: v for k, v in self.model_notes.items() if v[0] != case}

    @rule()
    def lock(self):
        self.app.lock()

    @rule()
    def close_and_reopen(self):
        self.app.close()
        self.app = open_vault(self.dir / "v", PASSPHRASE, **OPTIONS)

    @rule()
    def compact(self):
        self._unlocked()
        self.app.vault.compact()

    @invariant()
    def equals_model(self):
        if self.app.locked:
            return
        stored = {n.id: (n.case_id, n.text, n.domains) for n in self.app.notes()}
        assert stored == self.model_notes
        assert {c.id: c.name for c in self.app.cases()} == self.model_cases


VaultMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=30, deadline=None)
TestVaultMachine = VaultMachine.TestCase
