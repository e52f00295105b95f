"""Rechtenverkenner: the catalogue as data, and the screening on realistic (fictional) families."""

import copy
import json
import subprocess
import sys

import pytest

from app.core import rights
from app.core.errors import InvalidInput
from tests.conftest import REPO

REQUIRED_IDS = [
    "leefloon",
    "equivalent_leefloon",
    "art60",
    "belastingaangifte",
    "sociale_huur",
    "huurpremie",
    "huursubsidie",
    "huurwaarborg",
    "referentieadres",
    "sociaal_tarief_energie",
    "budgetmeter_lac",
    "verwarmingstoelage",
    "water_sociaal",
    "sociaal_internet",
    "verhoogde_tegemoetkoming",
    "maximumfactuur",
    "derdebetaler",
    "dringende_medische_hulp",
    "zorgtoeslag",
    "kraamzorg",
    "kind_en_gezin",
    "groeipakket",
    "sociale_toeslag",
    "schooltoeslag",
    "kinderopvang_inkomenstarief",
    "studietoelage",
    "maximumfactuur_school",
    "nt2",
    "vdab_inschrijving",
    "vdab_opleidingsvergoedingen",
    "diploma_erkenning",
    "de_lijn_vervoergarantie",
    "uitpas_kansentarief",
    "participatiemiddelen",
    "vakantieparticipatie",
    "juridische_eerstelijn",
    "pro_deo",
    "budgetbegeleiding",
    "schuldbemiddeling",
    "collectieve_schuldenregeling",
    "mutualiteit_in_orde",
    "igo",
    "tegemoetkoming_handicap",
]


def ids(profile):
    return {s.right for s in rights.screen(profile).suggestions}


def test_every_right_of_the_domain_facts_is_in_the_catalogue():
    catalogue = rights.catalogue()
    assert set(REQUIRED_IDS) <= {r["id"] for r in catalogue["rights"]}
    assert catalogue["date"] and catalogue["version"]


@pytest.mark.parametrize(
    "breakage",
    [
        lambda r: r.pop("loket"),
        lambda r: r.update(domain="huisvesting"),
        lambda r: r.update(triggers=[]),
        lambda r: r["triggers"][0].update(reason=""),
        lambda r: r["triggers"][0].update(when={"field": "inkomen", "is": True}),
        lambda r: r["triggers"][0].update(when={"right": "bestaat_niet"}),
        lambda r: r.update(automatic="misschien"),
    ],
)
def test_a_broken_catalogue_entry_is_refused(breakage):
    raw = copy.deepcopy(rights.catalogue())
    breakage(raw["rights"][0])
    with pytest.raises(ValueError, match="leefloon"):
        rights.validate(raw)


# Ten fictional families outreachers meet, with what must and must not be suggested.
FAMILIES = [
    (  # single mother on leefloon for over a year, three children, private rent
        {
            "adults": 1,
            "children_ages": [10, 5, 2],
            "single_parent": True,
            "income": ["leefloon"],
            "leefloon_months": 16,
            "housing": "private_huur",
            "heating": "gas",
            "residence": "belg",
            "domicile": True,
            "dutch": "beperkt",
            "employment": "werkzoekend",
        },
        {
            "verhoogde_tegemoetkoming",
            "maximumfactuur",
            "derdebetaler",
            "sociaal_tarief_energie",
            "water_sociaal",
            "sociaal_internet",
            "sociale_huur",
            "groeipakket",
            "sociale_toeslag",
            "schooltoeslag",
            "kind_en_gezin",
            "nt2",
            "vdab_inschrijving",
            "uitpas_kansentarief",
            "pro_deo",
            "de_lijn_vervoergarantie",
        },
        {"verwarmingstoelage", "dringende_medische_hulp", "huurpremie"},
    ),
    (  # VT without leefloon: no sociaal tarief energie, no sociaal internet (since 1/7/2023)
        {"adults": 2, "income": ["loon"], "has_vt": True, "housing": "private_huur"},
        {"maximumfactuur", "derdebetaler", "uitpas_kansentarief", "vakantieparticipatie"},
        {"sociaal_tarief_energie", "sociaal_internet", "leefloon"},
    ),
    (  # no legal stay: urgent medical help, not leefloon
        {"adults": 1, "income": ["geen"], "residence": "zonder_wettig_verblijf"},
        {"dringende_medische_hulp"},
        {"leefloon"},
    ),
    (  # homeless man without domicile
        {
            "adults": 1,
            "income": ["geen"],
            "housing": "dakloos",
            "domicile": False,
            "residence": "belg",
        },
        {"referentieadres", "leefloon", "sociale_huur"},
        {"groeipakket", "verwarmingstoelage"},
    ),
    (  # couple heating with petroleum, energy arrears
        {
            "adults": 2,
            "income": ["werkloosheid"],
            "heating": "petroleum",
            "energy_arrears": True,
            "housing": "private_huur",
        },
        {"verwarmingstoelage", "budgetmeter_lac", "schuldbemiddeling", "sociaal_tarief_energie"},
        {"kind_en_gezin"},
    ),
    (  # pregnant woman, toddler, newcomer with little Dutch and a foreign diploma
        {
            "adults": 2,
            "children_ages": [1],
            "pregnant": True,
            "income": ["loon"],
            "dutch": "geen",
            "foreign_diploma": True,
            "employment": "werkend",
        },
        {
            "kraamzorg",
            "kind_en_gezin",
            "groeipakket",
            "kinderopvang_inkomenstarief",
            "nt2",
            "diploma_erkenning",
        },
        {"schooltoeslag", "studietoelage"},
    ),
    (  # retired man on a small pension
        {"adults": 1, "income": ["pensioen"], "pension_age": True},
        {"igo"},
        {"groeipakket", "vdab_inschrijving"},
    ),
    (  # family with debts, a bailiff, a teenager going to higher education, no tax return
        {
            "adults": 2,
            "children_ages": [17, 14],
            "income": ["loon"],
            "debts": True,
            "debts_structural": True,
            "tax_return_filed": False,
            "legal_issue": True,
        },
        {
            "budgetbegeleiding",
            "schuldbemiddeling",
            "collectieve_schuldenregeling",
            "belastingaangifte",
            "studietoelage",
            "juridische_eerstelijn",
        },
        {"kind_en_gezin", "pro_deo"},
    ),
    (  # father with a disability allowance
        {"adults": 1, "income": ["handicap"], "disability": True},
        {
            "tegemoetkoming_handicap",
            "verhoogde_tegemoetkoming",
            "sociaal_tarief_energie",
            "water_sociaal",
            "sociaal_internet",
            "de_lijn_vervoergarantie",
        },
        {"leefloon"},
    ),
    (  # health insurance not in order, in training with young child
        {
            "adults": 1,
            "children_ages": [2],
            "health_insurance_ok": False,
            "in_training": True,
            "income": ["ander"],
        },
        {"mutualiteit_in_orde", "vdab_opleidingsvergoedingen", "kinderopvang_inkomenstarief"},
        {"igo"},
    ),
]


@pytest.mark.parametrize("profile,must,must_not", FAMILIES)
def test_realistic_families(profile, must, must_not):
    found = ids(profile)
    assert must <= found, must - found
    assert not (must_not & found), must_not & found


def test_every_suggestion_says_why_and_where():
    result = rights.screen(FAMILIES[0][0])
    assert all(s.reason.strip() and s.loket.strip() for s in result.suggestions)
    by_id = {s.right: s for s in result.suggestions}
    assert "3 maanden" in by_id["verhoogde_tegemoetkoming"].reason  # the trigger that fired


def test_unknown_is_not_no_and_only_relevant_questions_are_asked():
    assert ids({}) == set()
    result = rights.screen({"income": ["leefloon"]})
    assert "leefloon_months" in result.questions  # decides VT and what follows from it
    result = rights.screen({"income": ["loon"], "has_vt": False, "children_ages": []})
    assert "leefloon_months" not in result.questions  # no leefloon: the duration is irrelevant


def test_exclusion_is_reported_with_its_reason():
    result = rights.screen({"income": ["geen"], "residence": "zonder_wettig_verblijf"})
    assert (
        "leefloon" in result.excluded and "dringende medische hulp" in result.excluded["leefloon"]
    )


@pytest.mark.parametrize(
    "profile",
    [
        [],
        {"inkomen": ["leefloon"]},
        {"income": ["rijk"]},
        {"adults": "twee"},
        {"pregnant": "ja"},
        {"children_ages": [3, -1]},
    ],
)
def test_bad_profiles_are_refused_clearly(profile):
    with pytest.raises(InvalidInput):
        rights.screen(profile)


def test_cli_rights_screen_contract(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(FAMILIES[2][0]))
    result = subprocess.run(
        [sys.executable, "-m", "app", "rights", "screen", "--profile", str(path), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer == [
        {"right": "dringende_medische_hulp", "reason": answer[0]["reason"], "loket": "OCMW"}
    ]
    path.write_text("{niet json")
    bad = subprocess.run(
        [sys.executable, "-m", "app", "rights", "screen", "--profile", str(path), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1


def test_questions_come_a_few_at_a_time_and_follow_ups_only_when_relevant():
    first = [q["field"] for q in rights.next_questions({}, set())]
    assert first[0] == "income" and "leefloon_months" not in first
    after = [q["field"] for q in rights.next_questions({"income": ["leefloon"]}, set())]
    assert after[0] == "leefloon_months"
    skipped = [q["field"] for q in rights.next_questions({"income": ["loon"]}, {"children_ages"})]
    assert "children_ages" not in skipped and "leefloon_months" not in skipped


def test_the_screening_goes_in_pages_whose_count_never_jumps():
    pages = len(rights.steps())
    assert all(sum(1 for q in p if not q.get("only_if")) <= 4 for p in rights.steps())
    step, total, asked = rights.next_step({}, set())
    assert (step, total) == (1, pages) and asked[0]["field"] == "income"
    # leefloon makes "how many months" matter: asked on the same page, the count holds
    page_one = {q["field"] for q in asked}
    step, total, asked = rights.next_step({"income": ["leefloon"]}, page_one - {"income"})
    assert (step, total) == (1, pages) and [q["field"] for q in asked] == ["leefloon_months"]
    everything = {q["field"] for q in rights.questions()}
    assert rights.next_step({}, everything) == (pages + 1, pages, [])


def test_every_field_a_rule_reads_is_asked_by_a_question():
    """A rule on a field no question asks can never fire in the app (huursubsidie,
    collectieve schuldenregeling and zorgtoeslag were never suggested that way)."""
    assert rights.unasked_fields(rights.catalogue(), rights.questions()) == set()
    raw = copy.deepcopy(rights.catalogue())
    raw["rights"][0]["triggers"].append({"when": {"field": "adults", "gte": 2}, "reason": "x"})
    assert rights.unasked_fields(raw, rights.questions()) == {"adults"}


def test_a_follow_up_question_only_depends_on_questions_asked_before_it():
    asked: set[str] = set()
    for question in rights.questions():
        if "only_if" in question:
            probe = {"rights": [{"triggers": [{"when": question["only_if"]}], "exclusions": []}]}
            assert rights.rule_fields(probe) <= asked, question["field"]
        asked.add(question["field"])


@pytest.mark.parametrize(
    "answers,field",
    [
        ({"children_ages": [4]}, "single_parent"),
        ({"children_ages": [4]}, "child_care_needs"),
        ({"housing": "private_huur"}, "moving_from_bad_dwelling"),
        ({"debts": True}, "debts_structural"),
    ],
)
def test_the_new_questions_come_when_earlier_answers_make_them_relevant(answers, field):
    assert field not in [q["field"] for q in rights.next_questions({}, set(), count=99)]
    assert field in [q["field"] for q in rights.next_questions(answers, set(), count=99)]


# The corrected facts of the catalogue 2026.1 (domain/RIGHTS.md, updated).
CORRECTED = [
    (  # a pensioner on a small pension: VT on an income test at the ziekenfonds
        {"adults": 1, "income": ["pensioen"]},
        {"verhoogde_tegemoetkoming"},
        set(),
    ),
    (  # a single mother who works: VT on an income test
        {"children_ages": [6], "single_parent": True, "income": ["loon"]},
        {"verhoogde_tegemoetkoming"},
        set(),
    ),
    (  # no legal stay: no sociale huur (needs the population register), no art. 60
        {
            "income": ["leefloon"],
            "housing": "private_huur",
            "residence": "zonder_wettig_verblijf",
            "employment": "werkzoekend",
        },
        {"dringende_medische_hulp"},
        {"sociale_huur", "art60"},
    ),
    (  # a toddler at home and nobody working: the income tariff still applies
        {"children_ages": [1], "employment": "niet_beschikbaar", "income": ["geen"]},
        {"kinderopvang_inkomenstarief"},
        set(),
    ),
    (  # the three answers that were never asked
        {
            "children_ages": [7],
            "child_care_needs": True,
            "housing": "private_huur",
            "moving_from_bad_dwelling": True,
            "debts": True,
            "debts_structural": True,
        },
        {"zorgtoeslag", "huursubsidie", "collectieve_schuldenregeling"},
        set(),
    ),
]


@pytest.mark.parametrize("profile,must,must_not", CORRECTED)
def test_corrected_facts(profile, must, must_not):
    found = ids(profile)
    assert must <= found, must - found
    assert not (must_not & found), must_not & found


def test_vt_on_an_income_test_says_where_to_ask():
    [vt] = [s for s in rights.screen(CORRECTED[0][0]).suggestions if s.right.startswith("verh")]
    assert "inkomensonderzoek bij het ziekenfonds" in vt.reason


def test_sources_are_public_never_a_developer_path():
    for right in rights.catalogue()["rights"]:
        for source in right["sources"]:
            assert source["url"].startswith("https://"), right["id"]
            assert ".md" not in source["title"] and "domain/" not in source["title"], right["id"]


def test_a_catalogue_older_than_twelve_months_is_flagged():
    import datetime as dt

    assert not rights.catalogue_stale("2025-06-30", dt.date(2026, 6, 29))
    assert rights.catalogue_stale("2025-06-30", dt.date(2026, 6, 30))
    assert rights.catalogue_stale("2025-06-30", dt.date(2026, 12, 1))
    assert not rights.catalogue_stale(rights.catalogue_date(), dt.date(2026, 12, 1))


def test_a_changed_answer_shows_what_came_up_and_what_went_away():
    before = rights.screen({"income": ["loon"], "housing": "eigendom"})
    after = rights.screen({"income": ["leefloon"], "leefloon_months": 5, "housing": "eigendom"})
    added, removed = rights.changes(before, after)
    assert "leefloon" in {s.right for s in added} and not removed
    added, removed = rights.changes(after, before)
    assert not added and "leefloon" in {s.right for s in removed}
