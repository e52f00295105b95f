"""The supervisor pages in a real browser (Debian's Chromium driven by Playwright) on the
demo team of `admin seed-demo`: log in, switch period and worker, download a CSV, see the
devices at risk and the barriers, log out. Screenshots go to test-artifacts/dashboard/."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import require_chromium, shot  # noqa: E402

require_chromium()


def snap(page, name: str) -> None:
    shot(page, name, "dashboard", full_page=True, wait=0)


def test_supervisor_answers_the_four_questions_in_a_browser(demo_dashboard, browser, tmp_path):
    server, login, password = demo_dashboard
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.route(  # nothing leaves the machine: no CDN, no external assets
        re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda route: route.abort()
    )
    page = context.new_page()
    page.goto(server.url + "/dashboard")
    expect(page).to_have_url(re.compile(r"/dashboard/login$"))
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()
    snap(page, "01-login")

    page.get_by_label("Gebruikersnaam").fill(login)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Activiteit", exact=True)).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("fictief")
    # What did my team do this month: a chart with an accessible name and a table.
    expect(page.get_by_role("img", name=re.compile("Contacten en pogingen"))).to_be_visible()
    contacts = page.locator("#tabel-kerncijfers tr", has_text="Contacten").first
    expect(contacts.locator("td")).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("#tabel-medewerkers")).to_contain_text("demo.amina")
    snap(page, "02-activiteit-maand")

    page.get_by_label("Per week of maand").select_option("week")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".scope")).to_contain_text("week ")
    expect(page.locator("#tabel-verloop tbody tr").first).to_contain_text("week ")
    snap(page, "03-activiteit-week")

    page.get_by_label("Medewerker", exact=True).select_option("demo.amina")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".scope")).to_contain_text("demo.amina")
    expect(page.locator("#tabel-medewerkers")).to_have_count(0)  # one worker: no team table
    snap(page, "04-activiteit-medewerker")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV: Contacten en pogingen per periode").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Periode,Contacten,Pogingen" and len(text.splitlines()) == 13
    assert saved.name.startswith("dichtbij-verloop-")

    # Where are the quick wins.
    page.get_by_role("link", name="Gezinnen en rechten").click()
    expect(page.get_by_role("heading", name="Snelle winst: toegekende rechten")).to_be_visible()
    expect(page.locator("#tabel-snelle-winst tbody tr").first).to_be_visible()
    snap(page, "05-gezinnen-en-rechten")

    # Who has not synced.
    page.get_by_role("link", name="Toestellen: lang niet gesynchroniseerd").click()
    page.get_by_label("Medewerker", exact=True).select_option("")
    page.get_by_role("button", name="Toon").click()
    risk = page.locator("#tabel-toestellen")
    expect(risk.locator("tr", has_text="demo.dries")).to_contain_text("14")
    expect(risk.locator("tr", has_text="demo.goran")).to_contain_text("onbekend")
    expect(risk.locator("tbody tr")).to_have_count(2)
    snap(page, "06-toestellen")
    page.get_by_label("Niet gesynchroniseerd sinds (dagen)").fill("20")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("#tabel-toestellen tbody tr")).to_have_count(1)

    # Which barriers keep coming back.
    page.get_by_role("link", name="Signaalfunctie").click()
    expect(page.locator("#tabel-drempels-totaal")).to_contain_text("Wachtlijst")
    snap(page, "07-signaalfunctie")
    page.get_by_role("link", name="Kort rapport voor beleid").click()
    expect(page.locator("article.report")).to_contain_text("Te gedigitaliseerd")
    snap(page, "08-rapport")

    page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(re.compile(r"/dashboard/login$"))
    page.goto(server.url + "/dashboard")
    expect(page).to_have_url(re.compile(r"/dashboard/login$"))
    context.close()
