"""The netwerkkaart in a real browser: a network of eight people drawn through the list and
through the guiding questions, the picture (light and dark), a tap on a node, a snapshot,
two ties changed, then vs now. Screenshots go to test-artifacts/ui/ (names start with nk_)."""

from __future__ import annotations

import re

import pytest

from app.core.network_layout import FOOT_W, NAME_SIZE, fit_text
from app.ui.network_canvas import FLOOR
from tests.conftest import PASSPHRASE

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    RECEIVED,
    AppProcess,
    field,
    open_page,
    received_controls,
    require_chromium,
    seeded_app,
    shot,
    tap,
    type_in,
    unlock,
)

require_chromium()

GEZIN = "Gezin Claes (fictief)"
PEOPLE = [  # as drawn below: name, sector, ring
    ("Tante Rita", "familie", 1),
    ("Karim", "huishouden", 1),
    ("OCMW", "hulpverlening", 3),
    ("Buurvrouw Els", "informeel", 1),
    ("Juf Sarah", "school_werk", 2),
    ("Oma Mia", "familie", 2),
    ("Papa", "familie", 2),
    ("Voetbalclub", "school_werk", 3),
]


def add_person(page, name, sector, ring, tie, supports=(), organisation=False):
    tap(page, "button", "Persoon toevoegen")
    type_in(page, "Naam of rol", name)
    if organisation:
        tap(page, "switch", "Organisatie of dienst")
    for chip in (sector, ring, tie):  # one answer each: radio groups
        tap(page, "radio", chip, wait=False)
    for chip in supports:
        tap(page, "checkbox", chip, wait=False)
    tap(page, "button", "Opslaan")
    expect(person(page, name)).to_be_visible(timeout=10_000)


def person(page, name):
    return page.get_by_role("button", name=re.compile(f"^{re.escape(name)} "))


def answer(page, names, sector=None):
    type_in(page, "Namen (gescheiden door komma's)", names)
    if sector:
        tap(page, "radio", sector, wait=False)
    tap(page, "button", "Zet op de kaart")


def change_tie(page, name, tie):
    person(page, name).click()
    expect(page.get_by_role("textbox", name="Naam of rol")).to_have_value(name, timeout=10_000)
    tap(page, "radio", tie, wait=False)
    tap(page, "button", "Opslaan")
    expect(person(page, name)).to_be_visible(timeout=10_000)


def test_draw_a_network_snapshot_change_and_compare(browser, tmp_path):
    from app.services import open_vault
    from tests.conftest import FAST_KDF

    data = tmp_path / "nk"
    seeded = open_vault(data, PASSPHRASE, create=True, kdf=FAST_KDF)
    case_id = seeded.add_case(GEZIN)
    seeded.close()
    app = AppProcess(data, tmp_path / "nk.log").start()
    try:
        page = open_page(browser, app.url)
        field(page, "Wachtzin").wait_for(timeout=60_000)
        unlock(page)
        tap(page, "tab", "Gezinnen")
        tap(page, "button", GEZIN, exact=False)
        tap(page, "button", "Netwerkkaart")
        expect(page.get_by_text("Nog niemand op de kaart", exact=False)).to_be_visible(
            timeout=10_000
        )
        shot(page, "nk_01_empty")

        # through the list: one screen per person
        tap(page, "button", "Persoon toevoegen")
        type_in(page, "Naam of rol", "Tante Rita")
        for chip in ("Familie", "Dichtbij", "Zwak"):
            tap(page, "radio", chip, wait=False)
        tap(page, "checkbox", "Emotioneel", wait=False)
        shot(page, "nk_02_add_person")
        tap(page, "button", "Opslaan")
        expect(person(page, "Tante Rita")).to_be_visible(timeout=10_000)
        add_person(page, "Karim", "Huishouden", "Dichtbij", "Steunend", ["Gezelschap"])
        add_person(page, "OCMW", "Hulpverlening", "Veraf", "Gespannen", ["Advies"], True)

        # through the guiding questions: answers become people with the question's roles
        tap(page, "button", "Netwerkvragen")
        expect(page.get_by_text("Wie kan er voor je zijn als je het moeilijk hebt?")).to_be_visible(
            timeout=10_000
        )
        answer(page, "Buurvrouw Els")
        expect(page.get_by_text("Met wie kan je veel plezier maken?")).to_be_visible(timeout=10_000)
        answer(page, "Juf Sarah", "School, werk, vrije tijd")
        expect(page.get_by_text("Is er iemand die je kan bereiken", exact=False)).to_be_visible(
            timeout=10_000
        )
        answer(page, "Tante Rita")  # already on the map: she becomes the noodcontact
        tap(page, "button", "Volgende vraag")
        expect(page.get_by_text("Wie komt er babysitten als je eens weg moet?")).to_be_visible(
            timeout=10_000
        )
        type_in(page, "Namen (gescheiden door komma's)", "Oma Mia, Papa")
        shot(page, "nk_03_prompt")
        tap(page, "button", "Zet op de kaart")
        tap(page, "button", "Klaar")
        add_person(page, "Voetbalclub", "School, werk, vrije tijd", "Veraf", "Gewoon", [], True)
        for name in ("Tante Rita", "Karim", "OCMW", "Buurvrouw Els", "Juf Sarah", "Oma Mia"):
            expect(person(page, name)).to_be_visible()
        expect(person(page, "Tante Rita")).to_have_accessible_name(
            re.compile("Noodcontact")
        )  # the answer added the role
        page.mouse.wheel(0, -3000)
        shot(page, "nk_04_picture")

        # a tap on a node in the picture opens that person
        picture = page.get_by_text(re.compile("^Netwerkkaart van")).first
        box = picture.bounding_box()
        assert box is not None
        spot = node_on_screen(PEOPLE, "Karim", box)
        page.mouse.click(*spot)
        expect(page.get_by_role("textbox", name="Naam of rol")).to_have_value(
            "Karim", timeout=10_000
        )
        tap(page, "button", "Terug")

        # the zoom buttons: in shows a part larger, "Hele kaart" the whole map
        expect(picture).to_be_visible(timeout=10_000)
        box = picture.bounding_box()
        assert box is not None
        opening = page.screenshot(clip=box)
        tap(page, "button", "Inzoomen")
        assert settled(page, box, lambda now: now != opening), "Inzoomen changed nothing"
        shot(page, "nk_04b_zoomed")
        tap(page, "button", "Hele kaart")
        assert still(page, box) not in (opening, None)
        shot(page, "nk_04c_whole")
        page.mouse.click(*node_on_screen(PEOPLE, "Karim", box, whole=True))
        expect(page.get_by_role("textbox", name="Naam of rol")).to_have_value(
            "Karim", timeout=10_000
        )
        tap(page, "button", "Terug")

        # a snapshot, then two ties change
        tap(page, "button", "Momentopnames")
        type_in(page, "Naam van de momentopname (bv. intake)", "intake")
        tap(page, "button", "Momentopname bewaren")
        expect(page.get_by_role("button", name=re.compile("^intake"))).to_be_visible(timeout=10_000)
        tap(page, "button", "Terug")
        change_tie(page, "Tante Rita", "Steunend")
        change_tie(page, "Papa", "Conflict")

        # then vs now
        tap(page, "button", "Momentopnames")
        tap(page, "button", "Vergelijk")
        expect(page.get_by_text("• 1 band werd sterker")).to_be_visible(timeout=10_000)
        expect(page.get_by_text("• 1 band werd zwakker")).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Sterker: Tante Rita (van zwak naar steunend)")).to_be_visible(
            timeout=10_000
        )
        shot(page, "nk_05_compare")

        # sharing goes to the share sheet only: headless Chromium has none, so nothing is saved
        before = sorted(p.name for p in data.iterdir())
        tap(page, "button", "Terug")
        tap(page, "button", "Terug")
        tap(page, "button", "Delen")
        tap(page, "button", "Kaart als afbeelding (PNG)")
        expect(
            page.get_by_text(re.compile("^(Klaar om te delen|Delen kan niet op dit toestel)")).first
        ).to_be_visible(timeout=15_000)
        shot(page, "nk_06_share")
        assert sorted(p.name for p in data.iterdir()) == before

        # the same picture in dark mode
        dark = open_page(browser, app.url, color_scheme="dark")
        field(dark, "Wachtzin").wait_for(timeout=60_000)
        unlock(dark)
        tap(dark, "tab", "Gezinnen")
        tap(dark, "button", GEZIN, exact=False)
        tap(dark, "button", "Netwerkkaart")
        expect(person(dark, "Karim")).to_be_visible(timeout=10_000)
        shot(dark, "nk_07_picture_dark")
        dark.context.close()
    finally:
        app.stop()

    check = open_vault(data, PASSPHRASE)
    people = {n.name: n for n in check.network(case_id)}
    assert len(people) == 8
    assert people["Tante Rita"].tie == "steunend" and people["Papa"].tie == "conflict"
    assert people["Oma Mia"].roles == ("opvang_kinderen",)
    assert {"noodcontact"} <= set(people["Tante Rita"].roles)
    assert people["OCMW"].organisation and people["Juf Sarah"].sector == "school_werk"
    [intake] = check.snapshots(case_id)
    assert intake.label == "intake" and len(intake.nodes) == 8
    check.close()


def settled(page, box, done, tries: int = 20) -> bool:
    """Poll the picture until `done(screenshot)` holds (a zoom animates): True if it did."""
    for _ in range(tries):
        if done(page.screenshot(clip=box)):
            return True
        page.wait_for_timeout(250)
    return False


def still(page, box, tries: int = 20) -> bytes | None:
    """The picture once two screenshots in a row are the same (a zoom animates)."""
    last = page.screenshot(clip=box)
    for _ in range(tries):
        page.wait_for_timeout(250)
        now = page.screenshot(clip=box)
        if now == last:
            return now
        last = now
    return None


def node_on_screen(people, name, box, whole=False):
    """Where the layout puts `name`, in page coordinates: as the map opens (at least at the
    text floor, its middle in the window) or, with `whole`, zoomed out to fit the window.

    The layout depends on names, sectors and rings only (ids break ties between equal
    names), so the test can compute it without opening the app's vault."""
    from app.core.network import Node
    from app.core.network_layout import layout
    from app.ui.network_canvas import scale_for

    nodes = [Node(f"n{i}", "case", n, sector, ring) for i, (n, sector, ring) in enumerate(people)]
    placed = layout(nodes)
    spot = placed.nodes[next(n.id for n in nodes if n.name == name)]
    scale = scale_for(placed, box["width"])
    shift = (placed.size * scale - box["width"]) / 2
    if whole:
        scale, shift = box["width"] / placed.size, 0.0
    return box["x"] + spot.x * scale - shift, box["y"] + spot.y * scale - shift


CROWD = [  # as many names as a full map holds, of every length
    "Tante Rita", "Karim", "OCMW", "Buurvrouw Els", "Juf Sarah", "Oma Mia", "Papa",
    "Voetbalclub", "Nonkel Jef", "Mama", "Huisarts Peeters", "CAW", "Buurman Ali",
    "Leerkracht Tom", "Zus Lotte", "Opa Staf", "Kinderopvang", "Vriendin Ine",
    "Schuldbemiddeling", "Broer Sam", "Nicht Ayla", "Coach Dirk", "Kerkgemeenschap",
    "Buurvrouw Fatma", "Tandarts", "Moeder van Noor", "JAC", "Wijkagent", "Buur Marc",
    "Peter Jan",
]  # fmt: skip
SECTORS = ["huishouden", "familie", "informeel", "school_werk", "hulpverlening"]
SUPPORTS = ["praktisch", "gezelschap", "advies", "emotioneel"]

# Each drawn text's box, measured by the browser at the size it is drawn (centred on x, y).
BOXES = """labels => labels.map(([text, size, x, y]) => {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${size}px Roboto, sans-serif`;
  const half = ctx.measureText(text).width / 2;
  return [text, x - half, y - size * 0.6, x + half, y + size * 0.6];
})"""


def test_a_full_map_keeps_its_names_readable(browser, tmp_path):
    """With 15 and with 30 people every text on the map is drawn at 11 px or more as the
    map opens (it was 8 and 6 px; the support letters on a node 8), and no two names
    overlap."""

    def seed(vault):
        gezinnen = {}
        for count in (15, 30):
            gezinnen[count] = vault.add_case(f"Gezin Vol {count} (fictief)")
            for i in range(count):
                vault.add_person(
                    gezinnen[count],
                    CROWD[i],
                    sector=SECTORS[i % 5],
                    ring=1 + i * 7 % 3,
                    supports=SUPPORTS[: i % 5],  # the letters P, G, A, E on the node
                )
        return gezinnen

    problems = []
    with seeded_app(browser, tmp_path, "crowd", seed) as (page, gezinnen):
        for count, case_id in gezinnen.items():
            tap(page, "tab", "Gezinnen")
            tap(page, "button", f"Gezin Vol {count} (fictief)", exact=False)
            since = len(RECEIVED[page])
            tap(page, "button", "Netwerkkaart")
            expect(person(page, CROWD[0])).to_be_attached(timeout=10_000)
            page.mouse.wheel(0, -3000)
            shot(page, f"nk_crowd_{count}")
            texts = [t for t in received_controls(page, "Text", since) if "x" in t]
            sizes = {t["value"]: t["style"]["size"] for t in texts}
            small = {text: round(size, 1) for text, size in sizes.items() if size < FLOOR}
            if small or len(texts) < count:
                problems.append(f"{count} people: {len(texts)} texts, below {FLOOR} px: {small}")
            names = {fit_text(name, NAME_SIZE, FOOT_W) for name in CROWD[:count]}
            drawn = [[t["value"], t["style"]["size"], t["x"], t["y"]] for t in texts]
            boxes = page.evaluate(BOXES, [d for d in drawn if d[0] in names])
            if len(boxes) != count:
                problems.append(f"{count} people: {len(boxes)} names drawn")
            for i, (a, *one) in enumerate(boxes):
                for b, *other in boxes[i + 1 :]:
                    if (
                        one[0] < other[2]
                        and other[0] < one[2]
                        and one[1] < other[3]
                        and other[1] < one[3]
                    ):
                        problems.append(f"{count} people: {a!r} overlaps {b!r}")
    assert not problems, "\n".join(problems)


def test_a_half_added_person_is_said_on_the_map_and_one_tap_from_its_form(browser, tmp_path):
    with seeded_app(browser, tmp_path, "waiting", lambda v: v.add_case(GEZIN)) as (page, case_id):
        tap(page, "tab", "Gezinnen")
        tap(page, "button", GEZIN, exact=False)
        tap(page, "button", "Netwerkkaart")
        tap(page, "button", "Persoon toevoegen")
        type_in(page, "Naam of rol", "Buurvrouw Els")
        tap(page, "radio", "Familie", wait=False)
        tap(page, "tab", "Vandaag")  # called away before Opslaan
        tap(page, "tab", "Gezinnen")
        tap(page, "button", GEZIN, exact=False)
        tap(page, "button", "Netwerkkaart")
        waiting = page.get_by_text("Buurvrouw Els is nog niet opgeslagen.")
        expect(waiting).to_be_visible(timeout=10_000)
        shot(page, "nk_waiting_person")
        tap(page, "button", "Verder invullen")
        expect(field(page, "Naam of rol")).to_have_value("Buurvrouw Els", timeout=10_000)
        expect(page.get_by_role("radio", name="Familie")).to_be_checked()
        tap(page, "button", "Opslaan")
        expect(person(page, "Buurvrouw Els")).to_be_visible(timeout=10_000)
        expect(waiting).to_have_count(0)
