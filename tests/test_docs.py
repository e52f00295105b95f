"""The docs are held to the code: the privacy notices name every code a kind sends in
clear, and no doc points at a file that is not there."""

import re

import pytest

from app.core import kinds
from tests.conftest import REPO

DOCS = sorted([*(REPO / "docs").glob("*.md"), REPO / "README.md"])
PATH = re.compile(
    r"(?<![\w/.-])((?:app|sync_server|tests|assets|docs|scripts|bench|\.ci)/[\w./-]*\w)"
)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("kind", [k for k in kinds.ALL if k.codes], ids=lambda k: k.name)
def test_the_privacy_notices_name_every_code_sent_in_clear(kind):
    docs = (REPO / "docs" / "privacy.md").read_text(encoding="utf-8")
    rows = [line for line in docs.splitlines() if re.match(rf"^\| {kind.name}\b", line)]
    assert len(rows) == 1, f"docs/privacy.md 3.2 needs one row for {kind.name}"
    row = rows[0]
    for name in kind.codes:
        assert f"`{name}`" in row, f"docs/privacy.md does not name {kind.name}.{name}"
    notice = (REPO / "assets" / "privacy_nl.md").read_text(encoding="utf-8")
    bullets = " ".join(notice.split()).split("* ")
    [bullet] = [b for b in bullets if b.startswith(kind.notice)]
    for name, code in kind.codes.items():
        assert code.nl in bullet, f"assets/privacy_nl.md does not name {kind.name}.{name}"


def test_the_privacy_notice_lists_every_kind():
    docs = (REPO / "docs" / "privacy.md").read_text(encoding="utf-8")
    [row] = [line for line in docs.splitlines() if line.startswith("| `kind` |")]
    assert set(re.findall(r"`([a-z_]+)`", row)) - {"kind"} == set(kinds.NAMES)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_doc_points_at_a_file_that_is_not_there(doc):
    text = doc.read_text(encoding="utf-8")
    missing = []
    for found in PATH.findall(text):
        path = found.rstrip(".")
        module = path.rsplit(".", 1)[0] + ".py"  # app/core/rights.validate: a function
        if not any((REPO / p).exists() for p in (path, module)):
            missing.append(path)
    for target in LINK.findall(text):
        if "://" not in target and not (doc.parent / target).exists():
            missing.append(target)
    assert missing == [], f"{doc.name} names files that do not exist"


def test_the_protocol_doc_states_every_code_and_the_real_limits():
    from app.sync import protocol

    text = (REPO / "docs" / "sync-protocol.md").read_text(encoding="utf-8")
    table = text[text.index("**Metadata codes**") : text.index("**Payload.**")]
    for kind in kinds.ALL:
        rows = table.split(f"| `{kind.name}` |")
        assert len(rows) == 2, f"docs/sync-protocol.md: no metadata row for {kind.name}"
        own = rows[1].split("\n| `")[0]  # up to the next kind's first row
        for name in kind.codes:
            assert f"`{name}`" in own, f"docs/sync-protocol.md does not name {kind.name}.{name}"
    assert f"{protocol.MAX_PAYLOAD_BYTES:,} bytes" in text
    assert f"{protocol.MAX_BODY_BYTES // 2**20} MiB (`MAX_BODY_BYTES`)" in text
    assert f"at most {protocol.MAX_BATCH} records" in text
    assert f"`limit` (1 … {protocol.MAX_PAGE}, default {protocol.DEFAULT_PAGE})" in text
