"""Netwerkkaart: the node model, guiding questions → roles, merges of concurrent edits,
snapshots and their comparison, the layout's geometry, the SVG, and what leaves the phone."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import network as net
from app.core.errors import InvalidInput
from app.core.network_layout import NAME_SIZE, NODE_R, Box, layout
from app.core.network_prompts import plan_answer, prompt, prompts, split_names
from app.core.network_scene import Circle, Line, Rect, scene, tie_line
from app.core.network_snapshot import compare, sentences
from app.core.network_svg import svg
from app.core.vocabulary import guiding_questions, vocabulary
from app.sync import protocol
from app.sync.merge import merge
from tests.conftest import MARKER

SECTORS = vocabulary("sector").codes
TIES = vocabulary("tie").codes
SUPPORTS = vocabulary("support").codes
ROLES = vocabulary("role").codes
AT = "2026-03-01T10:00:00+00:00"


def person(i: int, name: str, sector: str, ring: int = 2, **fields) -> net.Node:
    return net.new_node(f"n{i}", "case", AT, name=name, sector=sector, ring=ring, **fields)


# ---- model ------------------------------------------------------------------------------


def test_a_node_validates_its_codes_and_refuses_unknown_fields():
    node = person(1, "  Tante Rita ", "familie", "1", supports=["emotioneel", "praktisch"])
    assert (node.name, node.ring, node.supports) == ("Tante Rita", 1, ("praktisch", "emotioneel"))
    assert node.letters == "PE" and node.initials == "TR"
    assert node.supportive  # gives support, so a steunfiguur whatever the tie
    assert not person(2, "Buur", "informeel", tie="gewoon").supportive
    assert not net.edit_node(node, tie="verbroken").supportive
    for bad in ({"sector": "buren"}, {"ring": 4}, {"tie": "sterk"}, {"roles": ["chauffeur"]}):
        with pytest.raises(InvalidInput):
            net.edit_node(node, **bad)
    with pytest.raises(InvalidInput):
        net.edit_node(node, colour="rood")
    with pytest.raises(InvalidInput):
        net.edit_node(node, name="   ")
    with pytest.raises(InvalidInput):
        net.edit_node(node, note="x" * (net.MAX_NOTE + 1))
    again = net.Node.from_data(node.id, node.case_id, node.to_data())
    assert again == node


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Tante Rita", "TR"), ("OCMW", "OC"), ("buurvrouw", "B"), ("Jan-Pieter de Smet", "JS")],
)
def test_initials(name, expected):
    assert net.initials(name) == expected


def test_only_sector_and_ring_leave_the_phone(app):
    case_id = app.add_case("Gezin Kaart")
    node_id = app.add_person(case_id, MARKER, sector="informeel", ring=3, note=MARKER)
    sealed = app.vault.sealed(node_id)
    assert sealed["meta"] == {"sector": "informeel", "ring": "3"}
    assert MARKER not in repr({k: v for k, v in sealed.items() if k != "payload"})
    protocol.check_record(sealed)
    snap = app.snapshot(case_id, label=MARKER, day="2026-02-01")
    sealed = app.vault.sealed(snap)
    assert sealed["meta"] == {
        "day": "2026-02-01",
        "by_sector": {s: int(s == "informeel") for s in SECTORS},
        "by_ring": {"1": 0, "2": 0, "3": 1},
    }
    assert MARKER not in repr({k: v for k, v in sealed.items() if k != "payload"})
    protocol.check_record(sealed)


@pytest.mark.parametrize(
    ("kind", "meta"),
    [
        ("network_node", {"sector": "informeel", "ring": "3", "name": "Rita"}),
        ("network_node", {"sector": "buren", "ring": "1"}),
        ("network_node", {"sector": "familie", "ring": 1}),
        ("network_snapshot", {"day": "2026-02-01", "by_sector": {"familie": -1}}),
        ("network_snapshot", {"day": "2026-02-01", "by_sector": {"buren": 1}}),
        ("network_snapshot", {"day": "2026-02-01", "by_ring": {"1": "2"}}),
        ("network_snapshot", {"day": "2026-02-01", "by_ring": [1, 2, 3]}),
        ("network_snapshot", {"day": "morgen"}),
    ],
)
def test_the_server_refuses_anything_but_codes_and_counts(kind, meta):
    with pytest.raises(protocol.ProtocolError):
        protocol.check_meta(kind, meta, False)


# ---- guiding questions -------------------------------------------------------------------


def test_every_guiding_question_of_the_methodology_is_a_prompt():
    texts = [p.question for p in prompts() if not p.extra]
    assert texts == list(guiding_questions())
    covered = {r for p in prompts() for r in p.roles}
    assert covered == set(ROLES)  # every role can be reached through some question


@pytest.mark.parametrize(
    ("prompt_id", "supports", "roles"),
    [
        ("moeilijk", {"emotioneel"}, {"vertrouwenspersoon", "moeilijke_momenten"}),
        ("dringend", {"praktisch"}, {"noodcontact"}),
        ("babysit", {"praktisch"}, {"opvang_kinderen"}),
        ("winkel", {"praktisch"}, {"boodschappen"}),
        ("zorgen", {"emotioneel", "advies"}, {"vertrouwenspersoon"}),
        ("plezier", {"gezelschap"}, set()),
        ("vervoer", {"praktisch"}, {"vervoer"}),
        ("toeleider", {"advies"}, {"toeleider"}),
    ],
)
def test_an_answer_becomes_a_node_with_the_questions_roles(app, prompt_id, supports, roles):
    case_id = app.add_case("Gezin Vraag")
    [node_id] = app.answer_prompt(case_id, prompt_id, "Buurvrouw Els")
    node = app.person(node_id)
    assert (set(node.supports), set(node.roles)) == (supports, roles)
    assert node.sector == prompt(prompt_id).sector and node.tie == "steunend"


def test_answers_add_to_people_already_on_the_map_and_split_on_commas(app):
    case_id = app.add_case("Gezin Antwoord")
    rita = app.add_person(case_id, "Tante Rita", sector="familie", ring=1, tie="gewoon")
    ids = app.answer_prompt(case_id, "babysit", "tante  rita, Oma; Buurman Jos\nOma", "familie")
    assert len(ids) == 3 and ids[0] == rita
    assert len(app.network(case_id)) == 3
    again = app.person(rita)
    assert again.roles == ("opvang_kinderen",) and again.tie == "gewoon"  # tie kept
    app.answer_prompt(case_id, "dringend", "Tante Rita")
    assert set(app.person(rita).roles) == {"noodcontact", "opvang_kinderen"}
    assert split_names(" , ;\n") == []
    with pytest.raises(InvalidInput):
        app.answer_prompt(case_id, "moeilijk", " , ")


def test_questions_keep_answers_in_the_sectors_they_ask_about():
    with pytest.raises(InvalidInput):
        plan_answer(prompt("ouders_eten"), "Mama", [], sector="informeel")
    with pytest.raises(InvalidInput):
        plan_answer(prompt("buiten_familie"), "Nonkel Piet", [], sector="familie")
    [plan] = plan_answer(prompt("buiten_familie"), "Juf Sarah", [], sector="school_werk")
    assert plan.fields["sector"] == "school_werk"


# ---- merges of concurrent edits ----------------------------------------------------------

names = st.sampled_from(["Rita", "Tante Rita", "Els", "Jos"])
edits = st.fixed_dictionaries(
    {},
    optional={
        "name": names,
        "sector": st.sampled_from(SECTORS),
        "ring": st.sampled_from([1, 2, 3]),
        "tie": st.sampled_from(TIES),
        "supports": st.lists(st.sampled_from(SUPPORTS), unique=True),
        "roles": st.lists(st.sampled_from(ROLES), unique=True),
        "note": st.sampled_from(["", "kort", "lang verhaal"]),
        "organisation": st.booleans(),
    },
)


def _record(node: net.Node, rev: int, device: str) -> dict:
    return {"id": node.id, "deleted": False, "data": node.to_data(), "rev": rev, "device": device}


@settings(max_examples=300, deadline=None)
@given(start=edits, mine=edits, theirs=edits)
def test_concurrent_edits_of_one_person_merge_per_field(start, mine, theirs):
    base = net.edit_node(person(1, "Rita", "informeel"), **start)
    a, b = net.edit_node(base, **mine), net.edit_node(base, **theirs)
    merged = merge(_record(base, 1, "x"), _record(a, 2, "a"), _record(b, 2, "b"), net.KIND)
    flipped = merge(_record(base, 1, "x"), _record(b, 2, "b"), _record(a, 2, "a"), net.KIND)
    result = net.Node.from_data(base.id, base.case_id, merged.data)
    protocol.check_meta(net.KIND, net.node_meta(result), False)  # still valid codes
    conflicted = {name for name, _, _ in merged.conflicts}
    for name in ("name", "sector", "ring", "tie", "note", "organisation"):
        was, left, right = getattr(base, name), getattr(a, name), getattr(b, name)
        got = getattr(result, name)
        if left == was:
            assert got == right and name not in conflicted
        elif right == was or left == right:
            assert got == left and name not in conflicted
        else:  # both changed it differently: the other device's value, ours kept aside
            assert got == right and (name, left, right) in [
                (n, m, t) for n, m, t in merged.conflicts
            ]
    for name in ("supports", "roles"):  # three-way: added on either side, removed on either
        was, left, right = (set(getattr(x, name)) for x in (base, a, b))
        assert set(getattr(result, name)) == (was & left & right) | (left - was) | (right - was)
        assert set(merged.data[name]) == set(flipped.data[name])
        assert name not in conflicted
    shared = set(merged.data) - conflicted
    assert all(merged.data[k] == flipped.data[k] for k in shared - {"supports", "roles"})


def test_a_delete_on_one_device_wins_over_an_edit_on_the_other():
    base = person(1, "Rita", "informeel")
    edited = net.edit_node(base, tie="steunend")
    gone = {"id": base.id, "deleted": True, "data": {}}
    merged = merge(_record(base, 1, "x"), _record(edited, 2, "a"), gone, net.KIND)
    assert merged.deleted and merged.conflicts == [("deleted", None, None)]


def test_keep_mine_writes_the_local_value_back_to_the_person(app):
    from app.core import records

    case_id = app.add_case("Gezin Conflict")
    node_id = app.add_person(case_id, "Rita", sector="informeel")
    conflict = records.create(
        "conflict",
        case_id,
        {
            "record_id": node_id,
            "record_kind": net.KIND,
            "field": "name",
            "local": "Tante Rita",
            "remote": "Rita",
            "at": AT,
        },
        {},
        app.device_id,
        app.vault.tick(),
    )
    app.vault.put(conflict)
    app.resolve_conflict(conflict.id, keep_mine=True)
    assert app.person(node_id).name == "Tante Rita" and app.conflicts() == []


# ---- snapshots and comparison --------------------------------------------------------------


def test_a_broken_tie_is_said_in_words_not_counted_as_weaker():
    """Breaking with a violent ex-partner is not a loss of network."""
    ex = person(1, "Ex-partner", "familie", 1, tie="conflict")
    zus = person(2, "Zus", "familie", 2, tie="verbroken")
    buur = person(3, "Buurvrouw", "informeel", 2, tie="gewoon", supports=["praktisch"])
    after = [net.edit_node(ex, tie="verbroken", ring=3), net.edit_node(zus, tie="gewoon"), buur]
    diff = compare([ex, zus, buur], after)
    assert diff.weaker == () and diff.stronger == ()
    assert [c.after.name for c in diff.broken] == ["Ex-partner"]
    assert [c.after.name for c in diff.renewed] == ["Zus"]
    told = sentences(diff)
    assert "1 band werd verbroken" in told and "1 verbroken band is er weer" in told
    assert not any("zwakker" in line for line in told)
    assert "Steunfiguren: 1 toen, 1 nu." in told  # the neighbour who helps counts


def test_snapshot_comparison_tells_who_came_who_left_and_which_ties_changed():
    rita = person(1, "Tante Rita", "familie", 1, tie="gespannen")
    papa = person(2, "Papa", "familie", 2, tie="steunend")
    ocmw = person(3, "OCMW", "hulpverlening", 3, tie="zwak", organisation=True)
    before = [rita, papa, ocmw]
    buren = [person(10 + i, n, "informeel", 2, tie="steunend") for i, n in enumerate("ABC")]
    after = [
        net.edit_node(rita, tie="steunend"),  # stronger
        net.edit_node(papa, tie="conflict", ring=3),  # weaker, further
        net.edit_node(ocmw, ring=2),  # closer
        *buren,
        person(20, "Juf Sarah", "school_werk", 2, tie="gewoon"),
    ]
    diff = compare(before, after)
    assert [n.name for n in diff.came_in] == ["A", "B", "C", "Juf Sarah"]
    assert diff.left == ()
    assert [c.after.name for c in diff.stronger] == ["Tante Rita"]
    assert [c.after.name for c in diff.weaker] == ["Papa"]
    assert diff.broken == () and diff.renewed == ()
    assert [c.after.name for c in diff.closer] == ["OCMW"]
    assert [c.after.name for c in diff.further] == ["Papa"]
    assert diff.by_sector["informeel"] == (0, 3) and diff.by_sector["familie"] == (2, 2)
    assert diff.by_ring == {"1": (1, 1), "2": (1, 5), "3": (1, 1)}
    assert diff.supportive == (1, 4) and diff.total == (3, 7)
    assert sentences(diff) == [
        "3 nieuwe steunfiguren bij vrienden en in de buurt",
        "1 nieuw contact op school, op het werk of in de vrije tijd",
        "1 band werd sterker",
        "1 band werd zwakker",
        "1 contact kwam dichterbij",
        "1 contact staat nu verder af",
        "Steunfiguren: 1 toen, 4 nu.",
        "In totaal: 3 toen, 7 nu.",
    ]
    back = compare(after, before)
    assert [n.name for n in back.left] == ["A", "B", "C", "Juf Sarah"]
    assert "4 contacten bij vrienden en in de buurt zijn er niet meer bij" not in sentences(back)
    assert "3 contacten bij vrienden en in de buurt zijn er niet meer bij" in sentences(back)


network_nodes = st.lists(
    st.tuples(st.sampled_from(SECTORS), st.sampled_from([1, 2, 3]), st.sampled_from(TIES), names),
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(first=network_nodes, second=network_nodes)
def test_comparison_is_the_mirror_of_its_reverse(first, second):
    def build(rows, offset):
        return [
            person(offset + i, name, sector, ring, tie=tie)
            for i, (sector, ring, tie, name) in enumerate(rows)
        ]

    before, after = build(first, 0), build(second, 3)  # ids 3.. overlap: the same people
    there, back = compare(before, after), compare(after, before)
    assert {n.id for n in there.came_in} == {n.id for n in back.left}
    assert {c.after.id for c in there.stronger} == {c.before.id for c in back.weaker}
    assert {c.after.id for c in there.broken} == {c.before.id for c in back.renewed}
    for change in (*there.stronger, *there.weaker):
        assert "verbroken" not in (change.before.tie, change.after.tie)
    assert {c.after.id for c in there.closer} == {c.before.id for c in back.further}
    assert there.total == (len(before), len(after))
    assert compare(before, before).unchanged
    assert "Geen veranderingen" in sentences(compare(before, before))[0]


def test_snapshots_are_frozen_and_compared_with_now(app):
    case_id = app.add_case("Gezin Groei")
    rita = app.add_person(case_id, "Rita", sector="informeel", tie="zwak")
    intake = app.snapshot(case_id, "intake", day="2026-01-05")
    app.update_person(rita, tie="steunend")
    app.add_person(case_id, "Jos", sector="informeel", tie="steunend")
    later = app.snapshot(case_id, "na drie maanden", day="2026-04-05")
    app.remove_person(rita)
    assert [s.label for s in app.snapshots(case_id)] == ["intake", "na drie maanden"]
    assert [n.tie for n in app.snapshots(case_id)[0].nodes] == ["zwak"]  # frozen
    then_later = app.compare(case_id, intake, later)
    assert [c.after.name for c in then_later.stronger] == ["Rita"]
    assert [n.name for n in then_later.came_in] == ["Jos"]
    now = app.compare(case_id, later)
    assert [n.name for n in now.left] == ["Rita"]
    with pytest.raises(InvalidInput):
        app.snapshot(case_id, "x", day="volgende week")


# ---- layout ----------------------------------------------------------------------------------

labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKL-éë", min_size=1, max_size=40)


def _network(rows) -> list[net.Node]:
    return [
        net.Node(f"id{i:02d}", "case", name.strip() or "x", sector, ring)
        for i, (sector, ring, name) in enumerate(rows)
    ]


def _assert_readable(placed, nodes):
    """No two people touch, names stay clear of people, names and sector names, and everyone
    is inside the rings (a name may reach into the lane around them, beside sector names)."""
    by_id = {n.id: n for n in nodes}
    spots = [placed.nodes[n.id] for n in nodes]
    c = placed.centre
    sector_names = [_bounds(w.label_corners) for w in placed.wedges]
    for i, a in enumerate(spots):
        for b in spots[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * NODE_R, "circles overlap"
            assert not a.label_box.overlaps(b.label_box), f"names of {a.id} and {b.id} touch"
            for one, other in ((a, b), (b, a)):
                assert _clear(one, by_id[one.id], other.label_box), f"{other.id} over {one.id}"
                if by_id[other.id].organisation:  # a square: its box is exact
                    assert _clear(one, by_id[one.id], other.circle), f"{one.id} on {other.id}"
        assert a.label_box.inside(placed.size)
        assert math.hypot(a.x - c, a.y - c) >= placed.centre_r + NODE_R
        assert math.hypot(a.x - c, a.y - c) + NODE_R <= placed.rings[-1] + 1e-6
        if _farthest(a.label_box, c) > placed.rings[-1]:  # out in the lane
            assert not any(a.label_box.overlaps(name) for name in sector_names), a.label
    for wedge in placed.wedges:
        for x, y in wedge.label_corners:
            assert 0 <= x <= placed.size and 0 <= y <= placed.size, wedge.sector


def _clear(spot, node, box) -> bool:
    """Is `box` clear of the person's circle (or the organisation's square)?"""
    if node.organisation:
        return not spot.circle.overlaps(box)
    dx = max(box.x0 - spot.x, 0.0, spot.x - box.x1)
    dy = max(box.y0 - spot.y, 0.0, spot.y - box.y1)
    return math.hypot(dx, dy) >= NODE_R


def _farthest(box, c) -> float:
    return max(math.hypot(x - c, y - c) for x in (box.x0, box.x1) for y in (box.y0, box.y1))


def _bounds(corners):
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return Box(min(xs), min(ys), max(xs), max(ys))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(SECTORS), st.sampled_from([1, 2, 3]), labels),
        min_size=30,
        max_size=30,
    )
)
def test_thirty_people_never_overlap_and_labels_stay_inside(rows):
    nodes = _network(rows)
    placed = layout(nodes)
    _assert_readable(placed, nodes)
    assert placed.hit(*_centre(placed, nodes[7])) == nodes[7].id
    assert placed.hit(placed.centre, placed.centre) is None
    assert layout(list(reversed(nodes))) == placed  # deterministic, order does not matter


PHONE = 380.0  # the picture's width on a 412-px phone, less the screen's margins
FAMILY_OF_EIGHT = [
    ("familie", 1, "Tante Rita"),
    ("huishouden", 1, "Karim"),
    ("hulpverlening", 3, "OCMW"),
    ("informeel", 1, "Buurvrouw Els"),
    ("school_werk", 2, "Juf Sarah"),
    ("familie", 2, "Oma Mia"),
    ("familie", 2, "Papa"),
    ("school_werk", 3, "Voetbalclub"),
]


@pytest.mark.parametrize(
    "rows, smallest",
    [
        (FAMILY_OF_EIGHT, 9.5),  # was 7.5 px: readable, but only with the phone close
        ([row for row in FAMILY_OF_EIGHT if row[1] != 1], 11.0),  # Material's smallest label
    ],
)
def test_names_of_a_small_network_are_readable_on_a_phone_without_zooming(rows, smallest):
    placed = layout(_network(rows))
    assert NAME_SIZE * PHONE / placed.size >= smallest


def test_a_crowded_sector_and_ring_still_fits():
    nodes = _network([("hulpverlening", 1, f"Dienst nummer {i}") for i in range(30)])
    placed = layout(nodes)
    _assert_readable(placed, nodes)
    crowded = next(w for w in placed.wedges if w.sector == "hulpverlening")
    assert crowded.end - crowded.start > 2 * (2 * math.pi / 5)  # twice an equal share


def test_sixty_people_and_an_empty_map_lay_out():
    nodes = _network([(SECTORS[i % 5], 1 + i % 3, f"Persoon {i}") for i in range(60)])
    _assert_readable(layout(nodes), nodes)
    empty = layout([])
    assert empty.nodes == {} and len(empty.wedges) == len(SECTORS)


def _centre(placed, node):
    spot = placed.nodes[node.id]
    return spot.x, spot.y


# ---- the picture -----------------------------------------------------------------------------


def test_tie_styles_are_told_apart_by_shape_not_only_colour():
    segment = (0.0, 0.0, 100.0, 0.0)
    steunend, gewoon = tie_line(segment, "steunend")[0], tie_line(segment, "gewoon")[0]
    assert isinstance(steunend, Line) and steunend.width > 2 * gewoon.width
    assert tie_line(segment, "zwak")[0].dash
    assert len(tie_line(segment, "gespannen")[0].points) > 6  # a zigzag
    assert tie_line(segment, "conflict")[0].colour == "tie_conflict"
    assert len(tie_line(segment, "verbroken")) == 3  # the line and two strokes across it


def test_the_svg_is_well_formed_escapes_names_and_has_every_person():
    nodes = [
        person(1, "<script>alert(1)</script>", "familie", 1, tie="conflict"),
        person(2, "OCMW", "hulpverlening", 2, organisation=True, supports=["advies"]),
        person(3, "Jos & Els", "informeel", 3, tie="verbroken"),
    ]
    placed = layout(nodes)
    shapes = scene(placed, nodes, "Gezin <Test>")
    text = svg(shapes, placed.size, "dark")
    root = ET.fromstring(text)  # parses: everything typed was escaped
    assert "<script>" not in text
    words = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"OC", "JE", "A"} <= set(words) and "Jos & Els" in words
    assert sum(isinstance(s, Rect) and s.fill == "sector_hulpverlening" for s in shapes) == 1
    assert sum(isinstance(s, Circle) and s.fill.startswith("sector_") for s in shapes) == 2


def test_export_summary_has_names_and_changes_never_notes(app):
    case_id = app.add_case("Gezin Export")
    app.add_person(case_id, "Buurvrouw Els", sector="informeel", note=MARKER)
    app.snapshot(case_id, "intake", day="2026-01-05")
    app.add_person(case_id, "Jos", sector="informeel", tie="steunend")
    name, mime, data = app.export_network(case_id, "summary")
    page = data.decode("utf-8")
    assert mime == "text/html" and name.endswith(".html") and "Gezin" not in name
    assert "Buurvrouw Els" in page and "1 nieuwe steunfiguur" in page and MARKER not in page
    name, mime, data = app.export_network(case_id, "svg")
    assert mime == "image/svg+xml" and ET.fromstring(data) is not None
    with pytest.raises(InvalidInput):
        app.export_network(case_id, "summary", audience="overleg")
    _, _, data = app.export_network(
        case_id, "summary", audience="overleg", consent_day="2026-03-01"
    )
    assert "toestemming" in data.decode("utf-8")


def test_deleting_a_gezin_erases_its_netwerkkaart(app):
    case_id = app.add_case("Gezin Weg")
    app.add_person(case_id, "Rita", sector="informeel")
    app.snapshot(case_id, "intake")
    app.delete_case(case_id)
    assert app.vault.count(net.KIND) == 0 and app.vault.count("network_snapshot") == 0


def test_the_client_in_the_centre_fits_on_two_lines():
    from app.core.network_scene import centre_lines

    assert centre_lines("Gezin Claes (fictief)", 62) == ["Gezin", "Claes"]
    assert centre_lines("Yasmina", 62) == ["Yasmina"]
    assert centre_lines("", 62) == []
    assert all(line.endswith("…") for line in centre_lines("Familie Vandenbroucke-Vermeulen", 40))


def test_names_notes_and_labels_never_reach_the_disk_in_plaintext(tmp_path, caplog):
    import logging

    from app.services import open_vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    caplog.set_level(logging.DEBUG)
    data = tmp_path / "vault"
    app = open_vault(data, PASSPHRASE, create=True, kdf=FAST_KDF, journal_min=1024)
    case_id = app.add_case("Gezin Schijf")
    for i in range(12):  # enough to force a snapshot of the vault too
        app.add_person(case_id, f"{MARKER} {i}", sector="informeel", note=MARKER)
    app.answer_prompt(case_id, "winkel", f"Buur {MARKER}")
    app.snapshot(case_id, label=MARKER)
    app.export_network(case_id, "summary")
    app.close()
    found = [p.name for p in data.rglob("*") if p.is_file() and MARKER.encode() in p.read_bytes()]
    assert found == []
    assert MARKER not in caplog.text


def test_wederkerigheid_and_a_person_left_out_of_every_shared_summary(app):
    case_id = app.add_case("Gezin Delen")
    buur = app.add_person(case_id, "Buurvrouw Els", sector="informeel", client_helps=True)
    app.add_person(case_id, f"Oom {MARKER}", sector="familie", tie="steunend", not_shared=True)
    assert app.person(buur).client_helps and not app.person(buur).not_shared
    intake = app.snapshot(case_id, "intake", day="2026-01-05")
    assert len(app.snapshots(case_id)[0].nodes) == 2  # the worker's own copy keeps everyone
    for what, audience in (("summary", "client"), ("svg", "client"), ("summary", "overleg")):
        _, _, data = app.export_network(case_id, what, audience=audience, consent_day="2026-02-01")
        text = data.decode("utf-8")
        assert MARKER not in text, (what, audience)
        assert "Buurvrouw Els" in text or what == "svg"
    assert intake
    for record in app.vault.find(net.KIND):
        sealed = app.vault.sealed(record.id)
        assert set(sealed["meta"]) == {"sector", "ring"}  # the marks travel encrypted only


def test_the_network_questions_are_framed_for_the_client():
    from app.ui.strings import T

    assert "enkel gebruikt voor de begeleiding" in T["prompt_frame"]
    assert T["prompt_title"] == "Netwerkvragen"
