"""Accessibility, measured the way an auditor does: axe-core (bundled by axe-playwright-python)
in Debian's Chromium over every supervisor page at 1280 and 390 px and over the field app's
main screens at 412 px, plus what axe cannot see in a Flutter app: every control has a Dutch
name, the page speaks Dutch, targets are 48 px, and a larger text size reaches every text.

One server, one app process and one browser serve the whole module. Screenshots go to
test-artifacts/a11y/. docs/accessibility.md explains the exceptions below."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, FAST_KDF, PASSPHRASE
from tests.server_process import REPO

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    AppProcess,
    into_view,
    open_page,
    require_chromium,
    shot,
    type_into,
    unlock,
)

require_chromium()

SHOTS = ARTIFACTS / "a11y"
BLOCKING = {"critical", "serious"}

# Findings the Flutter canvas cannot avoid, by axe rule id, with the reason. Anything else
# (of any impact) fails the test on the field app; on the dashboard nothing is excused.
FLUTTER_EXCEPTIONS = {
    "region": "moderate: Flutter's semantics tree has no landmarks (main, nav) and Flet offers "
    "no way to add one; the bottom bar is a tablist and every screen starts with its heading",
}

# Flutter's own English texts that leak when the locale is not Dutch.
ENGLISH = re.compile(
    r"\b(show|hide|password|back|close|dismiss|collapsed|expanded|remaining|characters|"
    r"select|menu|search|clear|cancel|open navigation|more options)\b",
    re.IGNORECASE,
)
# px, the smallest touch target asked for; measured in a desktop browser, where Flutter does not
# pad small controls to 48 px as it does on phones, so the theme has to (app/ui/theme.py)
TARGET = 48
PHONE = {"width": 412, "height": 915}
SMALL_ON_DESKTOP = {
    "radio": "Flutter sizes a radio button's target by platform: 48 px on Android and iOS, "
    "40 px in a desktop browser; Flet offers no way to change it (materialTapTargetSize)",
}


def audit(page, name: str, allowed: dict[str, str] | None = None) -> list[str]:
    """axe-core on the page as it is: each finding not excused, as one readable line."""
    shot(page, name, "a11y", full_page=True, wait=0)
    found = Axe().run(page).response["violations"]
    return [
        f"{name}: {v['id']} ({v['impact']}, {len(v['nodes'])}x) {v['nodes'][0]['html'][:160]}"
        for v in found
        if v["id"] not in (allowed or {})
    ]


# ---- the supervisor pages ------------------------------------------------------------------


DASHBOARD_PAGES = ["", "/gezinnen", "/toestellen", "/drempels", "/drempels/rapport"]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_dashboard_page_passes_axe(demo_dashboard, browser, width):
    server, login, password = demo_dashboard
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.goto(server.url + "/dashboard/activeren")
    problems += audit(page, f"dash-{width}-activeren")
    page.goto(server.url + "/dashboard/login")
    problems += audit(page, f"dash-{width}-login")
    page.get_by_label("Gebruikersnaam").fill(login)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Activiteit", exact=True)).to_be_visible()
    for path in DASHBOARD_PAGES:
        page.goto(server.url + "/dashboard" + path)
        problems += audit(page, f"dash-{width}{path.replace('/', '-') or '-activiteit'}")
    assert not problems, "\n".join(problems)
    if width == 390:  # chart text stays readable: the chart scrolls rather than shrinks
        page.goto(server.url + "/dashboard/drempels")
        chart = page.locator("svg.chart").first
        page.locator(".chart-box").first.screenshot(path=str(SHOTS / "dash-390-chart.png"))
        scale = chart.evaluate("svg => svg.getBoundingClientRect().width / 760")
        font = chart.locator("text.axis").first.evaluate(
            "t => parseFloat(getComputedStyle(t).fontSize)"
        )
        assert font * scale >= 11, f"chart text drawn at {font * scale:.1f} px"
    context.close()


def test_dashboard_skip_link_and_focusable_tables(demo_dashboard, browser):
    server, login, password = demo_dashboard
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/dashboard/login")
    page.get_by_label("Gebruikersnaam").fill(login)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.goto(server.url + "/dashboard/drempels")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#inhoud$"))
    wide = page.get_by_role("region", name="Tabel: Drempels per periode")
    wide.focus()
    expect(wide).to_be_focused()
    context.close()


def test_chart_series_differ_by_more_than_colour():
    from sync_server.dashboard.charts import bar_chart

    svg = bar_chart("t", "Titel", ["jan", "feb"], [(f"s{i}", [5, 6]) for i in range(4)])
    legend = re.findall(r'<rect x="\d+" y="\d+" width="14" height="14" fill="([^"]+)"', svg)
    fills = [fill for fill in legend if not fill.endswith("-hatch)")]  # "< 3" is not a series
    assert len(set(fills)) == 4  # the legend: one look per series
    patterns = re.findall(r'<pattern id="t-s\d".*?</pattern>', svg)
    marks = {re.sub(r'fill="#[0-9A-Fa-f]{6}"', "", p.split(">", 1)[1]) for p in patterns}
    assert len(patterns) == 3 and len(marks) == 3  # series 2-4 each carry their own marks


def test_throttle_message_counts_seconds_in_dutch():
    from sync_server.dashboard.web import seconds

    assert (seconds(1), seconds(2)) == ("1 seconde", "2 seconden")


# ---- the field app ------------------------------------------------------------------------

GEZIN = "Gezin Toegang (fictief)"
NOTES = ["Kort gesprek aan de schoolpoort", "Huisbezoek: brief van de huisbaas", "Samen naar OCMW"]

NAMES = """() => [...document.querySelectorAll(
    'flt-semantics[role=button], flt-semantics[role=checkbox], flt-semantics[role=radio],'
    + 'flt-semantics[role=switch], flt-semantics[role=tab], flt-semantics[role=link],'
    + 'flt-semantics[role=slider], flt-semantics[role=menuitem], input, textarea')]
  .filter(e => e.getBoundingClientRect().width > 0)
  .map(e => {
    const r = e.getBoundingClientRect();
    return {role: e.getAttribute('role') || e.tagName.toLowerCase(),
            name: (e.getAttribute('aria-label') || e.textContent || '').trim(),
            w: Math.round(r.width), h: Math.round(r.height)};
  })"""


def interactive(page) -> list[dict]:
    return page.evaluate(NAMES)


def go(page, route: str) -> None:
    """A route change as the browser's back and forward buttons make it (same session)."""
    page.evaluate(
        "r => { history.pushState(null, '', r); dispatchEvent(new PopStateEvent('popstate')); }",
        route,
    )


@pytest.fixture(scope="module")
def field_app(browser, tmp_path_factory):
    from app.services import open_vault

    root = tmp_path_factory.mktemp("a11y-app")
    vault = open_vault(root / "phone", PASSPHRASE, create=True, kdf=FAST_KDF)
    case_id = vault.add_case(GEZIN)
    for text in NOTES:
        vault.add_note(case_id, text, domains=["kinderen"])
    for name, sector, ring in [("Tante Rita", "familie", 1), ("OCMW", "hulpverlening", 3)]:
        vault.add_person(case_id, name, sector=sector, ring=ring)
    vault.set_right(case_id, "leefloon")
    vault.close()
    app = AppProcess(root / "phone", root / "app.log").start()
    try:
        page = open_page(browser, app.url)
        yield page, case_id
    finally:
        app.stop()


def screens(case_id: str) -> list[tuple[str, str, str]]:
    """name, route, something that says the screen is there."""
    return [
        ("vandaag", "/", "Vandaag"),
        ("gezinnen", "/gezinnen", "Naam of pseudoniem"),
        ("gezin", f"/gezin/{case_id}", "Tijdlijn"),
        ("notitie", "/notitie", "Wat gebeurde er?"),
        ("meer", "/meer", "Meer"),
        ("netwerkkaart", f"/netwerk/{case_id}", "Inzoomen"),
        ("rechtenverkenner", f"/rechten/{case_id}", "Voor de cliënt"),
        ("screening", f"/screening/{case_id}", "Volgende"),
        ("client", f"/voor-client/{case_id}", "Waar heb je misschien recht op?"),
    ]


ITEMS = """texts => texts.map(t => [...document.querySelectorAll('flt-semantics')]
    .filter(e => e.textContent.includes(t))
    .filter(e => texts.every(o => o === t || !e.textContent.includes(o))).length)"""


def own_items(page, texts: list[str]) -> list[str]:
    """Each text in a node of its own (a list a screen reader steps through), not one block."""
    counts = page.evaluate(ITEMS, texts)
    return [f"{t!r} is read together with the others" for t, n in zip(texts, counts) if not n]


def said_with_value(page, name: str) -> list[str]:
    found = page.get_by_role("button", name=name, exact=True).count()
    return [] if found else [f"no dropdown that says {name!r}"]


def radios_in(page, group: str, radio: str) -> list[str]:
    found = page.get_by_role("group", name=group, exact=True).get_by_role("radio", name=radio)
    return [] if found.count() else [f"no radio {radio!r} in a group named {group!r}"]


def boxes_in(page, group: str, box: str) -> list[str]:
    into_view(page.get_by_role("checkbox", name=box))
    found = page.get_by_role("group", name=group, exact=True).get_by_role("checkbox", name=box)
    if found.count():
        return []
    snapshot = page.locator("body").aria_snapshot()
    at = snapshot.find(box)
    return [
        f"no checkbox {box!r} in a group named {group!r}: {snapshot[max(0, at - 600) : at + 200]}"
    ]


def said_once(page, question: str) -> list[str]:
    """A question above a group named by it is heard with the group, not a second time."""
    snapshot = page.locator("body").aria_snapshot()
    times = snapshot.count(question)
    return [] if times == 1 else [f"{question!r} is said {times} times"]


def questions_of_yes_no(page) -> list[str]:
    """Every Ja is a radio in a group named by its question."""
    names = page.evaluate(
        "[...document.querySelectorAll('[role=radio][aria-label=Ja]')]"
        ".map(r => r.closest('[role=group]')?.getAttribute('aria-label') || '')"
    )
    return [] if names and all(n.endswith("?") for n in names) else [f"Ja/Nee groups: {names}"]


SPECIFIC = {  # what axe cannot know about a screen
    "gezin": lambda page: [*own_items(page, NOTES), *said_with_value(page, "Fase Eerste onthaal")],
    "notitie": lambda page: [
        *radios_in(page, "Voor wie?", GEZIN),
        *radios_in(page, "Waar?", "Schoolpoort"),
        *said_once(page, "Voor wie?"),
        *said_once(page, "Waar?"),
        *boxes_in(page, "Levensdomeinen", "Wonen"),  # further down: scrolled to last
    ],
    "screening": questions_of_yes_no,
}


def wrong_passphrase_stays_on_the_field(page) -> list[str]:
    """The error is on the field, as its description, and still there after a toast would
    have gone (3 s): a screen reader reads it with the field. (Flutter 3 in Flet 1.0.5 leaves
    aria-invalid false whatever the field's error; Flet cannot set it.)"""
    type_into(page, page.get_by_role("textbox", name="Wachtzin"), "niet de goede wachtzin")
    page.get_by_role("button", name="Ontgrendelen").click()
    message = page.get_by_text("Die wachtzin klopt niet.").last
    expect(message).to_be_attached(timeout=30_000)
    time.sleep(4)
    problems = [] if message.count() else ["the wrong-passphrase message went away"]
    said = page.locator("input[aria-label=Wachtzin]").get_attribute("aria-description") or ""
    return problems + ([] if "klopt niet" in said else [f"the field describes itself as {said!r}"])


def unlock_once(page) -> None:
    if page.get_by_role("textbox", name="Wachtzin").count():  # not yet unlocked by a test
        unlock(page)


def check_screen(page, name: str) -> list[str]:
    problems = audit(page, f"app-{name}", FLUTTER_EXCEPTIONS)
    lang = page.evaluate("document.documentElement.lang")
    if not lang.startswith("nl"):
        problems.append(f"{name}: lang={lang!r}")
    # Measured on a tall screen: Flutter clips a control's box at the edge of the scroll view.
    page.set_viewport_size({"width": 412, "height": 2400})
    time.sleep(0.5)
    controls = interactive(page)
    page.set_viewport_size(PHONE)
    problems += [f"{name}: {p}" for p in SPECIFIC.get(name, lambda _p: [])(page)]
    for control in controls:
        label = f"{name}: {control['role']} {control['name']!r}"
        if not control["name"]:
            problems.append(f"{label} has no name")
        elif ENGLISH.search(control["name"]):
            problems.append(f"{label} is not Dutch")
        if control["role"] in ("input", "textarea"):
            continue  # the field's box around it is larger than the bare input
        if min(control["w"], control["h"]) < TARGET and control["role"] not in SMALL_ON_DESKTOP:
            problems.append(f"{label} is {control['w']}x{control['h']} px")
    return problems


def test_field_app_screens_pass_axe_and_name_every_control(field_app):
    page, case_id = field_app
    page.get_by_role("textbox", name="Wachtzin").wait_for(timeout=60_000)
    time.sleep(0.7)
    problems = check_screen(page, "lock")
    problems += wrong_passphrase_stays_on_the_field(page)
    unlock_once(page)
    for name, route, marker in screens(case_id):
        go(page, route)
        expect(
            page.get_by_text(marker, exact=True).or_(page.get_by_label(marker, exact=True)).first
        ).to_be_attached(timeout=10_000)
        time.sleep(0.7)  # let Flutter finish the frame before the audit and screenshot
        problems += check_screen(page, name)
    assert not problems, "\n".join(problems)


def test_served_page_is_fleets_own_plus_dutch_and_zoom():
    """assets/index.html replaces flet-web's page: it must stay that page (the same Flet
    version) with only lang, the loading status's Dutch name and the zoom script added, or a
    Flet upgrade would silently serve an old client page."""
    import flet_web

    ours = (REPO / "assets" / "index.html").read_text(encoding="utf-8")
    theirs = (Path(flet_web.__file__).parent / "web" / "index.html").read_text(encoding="utf-8")
    start, end = ours.index("  <!-- dichtbij:"), ours.index("<!-- /dichtbij -->\n")
    stripped = ours[:start] + ours[end + len("<!-- /dichtbij -->\n") :]
    dutch = stripped.replace('<html lang="nl-BE">', "<html>", 1)
    loading = 'aria-label="Dichtbij wordt geladen"'
    assert loading in dutch
    assert dutch.replace(loading, 'aria-label="Loading"', 1) == theirs
    assert 'ALLOW = "width=device-width, initial-scale=1.0"' in ours[start:end]


def test_the_served_fonts_are_fleets_own_without_the_formula_fonts():
    """assets/assets/FontManifest.json replaces flet-web's: Flutter loads every font in it
    before the first screen, and the 19 KaTeX fonts (for formulas, which the app never
    shows) were most of those requests. Otherwise it must stay flet-web's list."""
    import json

    import flet_web

    ours = json.loads((REPO / "assets" / "assets" / "FontManifest.json").read_text())
    web = Path(flet_web.__file__).parent / "web" / "assets" / "FontManifest.json"
    theirs = json.loads(web.read_text())
    assert ours == [f for f in theirs if "KaTeX" not in f["family"]]
    assert len(ours) < len(theirs)


def test_no_text_in_the_app_is_set_below_14_px():
    """The theme raises Flutter's small styles to 14 px; a view must not set a smaller size
    by hand (the map draws its own labels with a floor of its own)."""
    import ast

    small = []
    for path in sorted((REPO / "app" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Text"):
                continue
            for kw in node.keywords:
                if kw.arg == "size" and isinstance(kw.value, ast.Constant) and kw.value.value < 14:
                    small.append(f"{path.name}:{node.lineno} size={kw.value.value}")
    assert small == []


TEXTS = """() => [...document.querySelectorAll('flt-semantics, h1, h2, h3')]
  .filter(e => !e.getAttribute('role') && !e.querySelector('flt-semantics'))
  .filter(e => e.textContent.trim() && e.getBoundingClientRect().height > 0)
  .map(e => [e.textContent.trim().slice(0, 40), e.getBoundingClientRect().height])"""

INK = """async ([png, boxes]) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return boxes.map(box => {
    const data = ctx.getImageData(box.x, box.y, box.width, box.height).data;
    const dark = (x, y) => {
      const i = 4 * (y * box.width + x);
      return data[i] + data[i + 1] + data[i + 2] < 3 * 110;
    };
    const bands = [];  // [top, bottom, left, right] of each band of rows with ink
    for (let y = 0; y < box.height; y++) {
      let left = -1, right = -1;
      for (let x = 0; x < box.width; x++) {
        if (dark(x, y)) { if (left < 0) left = x; right = x; }
      }
      if (left < 0) continue;
      const last = bands[bands.length - 1];
      if (last && last[1] === y - 1) {
        last[1] = y; last[2] = Math.min(last[2], left); last[3] = Math.max(last[3], right);
      } else bands.push([y, y, left, right]);
    }
    return {bands: bands};
  });
}"""


def label_ink(browser, page, tabs: list[str]) -> dict[str, dict]:
    """How each tab's label is drawn (Flutter paints it on a canvas), from the bands of rows
    with ink in the tab: those that start within 12 px of the first are the icon's (24 px;
    the people icon is two bands), the others the label's lines. Gives the tallest line, the
    width of all lines together (bands of 3 rows or less, such as the tail of a g, left out)
    and whether ink reaches the tab's bottom edge."""
    import base64

    boxes = []
    for tab in tabs:
        box = page.get_by_role("tab", name=tab).bounding_box()
        boxes.append({k: int(v) for k, v in box.items()})
    png = base64.b64encode(page.screenshot()).decode()
    scratch = browser.new_page()
    try:
        found = scratch.evaluate(INK, [png, boxes])
    finally:
        scratch.close()
    ink = {}
    for tab, box, drawn in zip(tabs, boxes, found):
        top = drawn["bands"][0][0] if drawn["bands"] else 0
        lines = [band for band in drawn["bands"] if band[0] >= top + 12]
        ink[tab] = {
            "height": max((bottom - first + 1 for first, bottom, *_x in lines), default=0),
            "width": sum(r - left + 1 for first, bottom, left, r in lines if bottom - first > 2),
            "bottom": any(bottom >= box["height"] - 2 for _first, bottom, *_x in lines),
        }
    return ink


TABS = ["Vandaag", "Gezinnen", "Notitie", "Meer"]


def test_a_larger_text_size_reaches_every_text(field_app, browser):
    """The browser's font size is what Flutter web takes as the system text size."""
    page, case_id = field_app
    page.get_by_role("textbox", name="Wachtzin").or_(
        page.get_by_role("tab", name="Vandaag")
    ).wait_for(timeout=60_000)
    unlock_once(page)
    go(page, f"/gezin/{case_id}")
    expect(page.get_by_text("Tijdlijn", exact=True)).to_be_attached(timeout=10_000)
    time.sleep(0.7)
    before, tabs_before = dict(page.evaluate(TEXTS)), label_ink(browser, page, TABS)
    page.evaluate("document.documentElement.style.fontSize = '32px'")  # 200 %
    try:
        time.sleep(1.5)
        shot(page, "app-gezin-200", "a11y", wait=0)
        after, tabs_after = dict(page.evaluate(TEXTS)), label_ink(browser, page, TABS)
    finally:
        page.evaluate("document.documentElement.style.fontSize = ''")
    assert set(before) == set(after) and before
    same = [t for t in before if after[t] <= before[t]]  # a list tile's minimum height absorbs some
    assert same == [], f"texts that did not grow: {same}"
    # Flutter's own tab labels stop at 130 %; ours follow the text size like the rest, and
    # every letter is drawn: no word cut off at the tab's edge (four tabs share 412 px)
    problems = []
    for tab in TABS:
        was, now = tabs_before[tab], tabs_after[tab]
        if not (was["height"] and now["height"] >= was["height"] * 1.6):
            problems.append(f"{tab}: letters {was['height']} px tall, {now['height']} px at 200 %")
        # all of the word, on one line or two: twice as wide in all (a cut word is not)
        if now["width"] < was["width"] * 1.8 or now["bottom"]:
            problems.append(f"{tab}: cut off ({was['width']} px of ink, {now['width']} at 200 %)")
    assert not problems, "\n".join(problems)


def tab_to(page, check: str, limit: int = 60) -> int:
    """Press Tab until the focused element passes `check` (a JS predicate on it)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => {check})(document.activeElement)"):
            return presses
    raise AssertionError(f"Tab never reached {check}")


def test_dashboard_by_keyboard_only(demo_dashboard, browser, tmp_path):
    """A teamcoach without a mouse: log in, choose week, a worker and an earlier week,
    download a CSV."""
    server, login, password = demo_dashboard
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/dashboard/login")
    tab_to(page, "e.name === 'login'")
    page.keyboard.type(login)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    shot(page, "kb-1-login", "a11y", wait=0)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Activiteit", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    shot(page, "kb-2-skip-link", "a11y", wait=0)
    tab_to(page, "e.id === 'kies-periode'")
    page.keyboard.press("w")  # typing a letter picks the option: week
    tab_to(page, "e.id === 'kies-medewerker'")
    page.keyboard.press("ArrowDown")  # Hele team → the first worker
    shot(page, "kb-3-choices", "a11y", wait=0)
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent === 'Toon'")
    page.keyboard.press("Enter")
    expect(page.locator(".scope")).to_contain_text("week ")
    expect(page.locator(".scope")).to_contain_text("demo.")
    shot(page, "kb-4-week-worker", "a11y", wait=0)
    tab_to(page, "e.id === 'kies-van'")
    page.keyboard.press("ArrowDown")  # the week before
    earlier = page.evaluate("document.getElementById('kies-van').selectedOptions[0].textContent")
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent === 'Toon'")
    page.keyboard.press("Space")
    expect(page.locator(".scope")).to_contain_text(earlier)
    tab_to(page, "e.textContent.startsWith('CSV: ')")
    shot(page, "kb-5-csv-focused", "a11y", wait=0)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8-sig").count("\n") > 1
    context.close()
