"""The stable codes of domain/VOCABULARY.md exist as data and bad codes are refused clearly."""

import pytest

from app.core import vocabulary as vocab
from app.core.errors import InvalidInput
from app.messages import describe

# Copied from domain/VOCABULARY.md: codes are stable forever once shipped.
REQUIRED = {
    "domain": "inkomen werk opleiding taal wonen energie gezondheid psychisch gezin kinderen "
    "netwerk vrije_tijd mobiliteit administratie schulden justitie verblijf",
    "setting": "schoolpoort huisbezoek straat buurthuis wachtzaal autorit kantoor telefoon "
    "bericht cafe samen_op_pad groepsaanbod overleg online",
    "contact": "informeel gesprek check_in samen_op_pad overleg groep poging",
    "attempt_reason": "niet_thuis geen_antwoord afspraak_gemist afgezegd",
    "phase": "eerste_onthaal vraagverduidelijking doel_strategie uitvoering afsluiting nazorg",
    "case_status": "actief lager_pitje afgesloten",
    "right_status": "niet_bekeken mogelijk besproken aangevraagd toegekend geweigerd nvt",
    "non_take_up": "onwetendheid niet_aanvragen niet_toegang niet_voorgesteld uitsluiting",
    "referral_step": "dialoog zoekproces informeren afspraak voorbereiding eerste_contact nazorg",
    "referral_outcome": "lopend geslaagd niet_geslaagd losgelaten",
    "referral_failure": "client_weigert wachtlijst niet_meer_nodig client_onbereikbaar "
    "dienst_onbereikbaar andere",
    "coach_role": "vergezellen informeren contextualiseren ankerfiguur bemiddelen casemanager "
    "sensibiliseren",
    "sector": "huishouden familie informeel school_werk hulpverlening",
    "ring": "1 2 3",
    "tie": "steunend gewoon zwak gespannen conflict verbroken",
    "support": "praktisch gezelschap advies emotioneel",
    "role": "noodcontact opvang_kinderen boodschappen vertrouwenspersoon toeleider vervoer",
    "barrier": "digitaal wachtlijst taal procedure kinderopvang mobiliteit kosten diploma "
    "voortraject wantrouwen onbereikbaar andere",
    "support_mode": "informeren structureren begeleiden bekrachtigen meevolgen loslaten",
}


# Added later (codes are added, never changed): the method's own words and steps.
ADDED = {
    "domain": "veiligheid",
    "setting": "aanbellen",
    "attempt_reason": "deed_niet_open gelezen_geen_reactie wil_geen_contact verhuisd",
    "right_status": "bezwaar_beroep stopgezet",
    "non_take_up": "schaamte_schrik",
    "role": "moeilijke_momenten",
    "support_mode": "zelf samen overnemen",
    "reach_channel": "werk_gsm whatsapp sms telefoon via_school via_buur",
    "referrer": "zelf school caw buur",
}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_documented_code_exists_in_order(name):
    """Old codes stay, in their order (golden vaults and old notes still read); new codes
    may come in between."""
    codes = list(vocab.vocabulary(name).codes)
    assert [c for c in codes if c in REQUIRED[name].split()] == REQUIRED[name].split()


@pytest.mark.parametrize("name", sorted(ADDED))
def test_the_methods_additions_exist(name):
    assert set(ADDED[name].split()) <= set(vocab.vocabulary(name).codes)


def test_plain_flemish_labels_for_non_take_up_and_domains():
    assert vocab.vocabulary("non_take_up").label("onwetendheid") == "Wist het niet"
    assert vocab.vocabulary("non_take_up").label("niet_aanvragen") == "Kiest er nu zelf niet voor"
    assert "materiële hulp" in vocab.vocabulary("domain").label("inkomen")
    assert vocab.vocabulary("setting").label("kantoor") == "Kantoor (permanentie, zitdag)"


def test_every_term_has_a_dutch_label():
    for name in vocab.names():
        for term in vocab.vocabulary(name).terms:
            assert term.label.strip(), (name, term.code)


def test_guiding_questions_are_the_methodologys_eight():
    questions = vocab.guiding_questions()
    assert len(questions) == 8
    assert questions[0] == "Wie kan er voor je zijn als je het moeilijk hebt?"


def test_unknown_code_is_refused_with_the_allowed_list():
    with pytest.raises(InvalidInput) as caught:
        vocab.vocabulary("domain").check("huisvesting")
    message = describe(caught.value)
    assert "huisvesting" in message and "wonen" in message


def test_check_all_deduplicates_in_order():
    assert vocab.vocabulary("domain").check_all(["wonen", "werk", "wonen"]) == ["wonen", "werk"]


@pytest.mark.parametrize(
    "entries",
    [
        [{"code": "Wonen", "label": "x"}],  # uppercase
        [{"code": "a", "label": "x"}, {"code": "a", "label": "y"}],  # duplicate
        [{"code": "a", "label": " "}],  # no label
        [],  # empty vocabulary
    ],
)
def test_a_broken_vocabulary_file_is_rejected(entries):
    with pytest.raises(ValueError):
        vocab._parse({"vocabularies": {"x": entries}})


def test_words_that_mean_something_else_in_the_method_are_not_on_screen():
    """Hulpvraag is the client's request; a signaal is for the signaalfunctie; 'screening'
    sounds like control; 'echt contact' judges; 'data at risk' is English."""
    from pathlib import Path

    from app.ui.strings import T

    shown = " ".join(T.values())
    for word in ("Hulpvragen", "hulpvragen", "Anoniem signaal", "Screening"):
        assert word not in shown, word
    assert T["network_prompts"] == "Netwerkvragen" and T["screening_start"] == "Rechten verkennen"
    assert T["signaal"] == "Eerste contact (nog zonder naam)"
    views = (Path(__file__).parents[1] / "sync_server" / "dashboard" / "views.py").read_text()
    assert "echt contact" not in views and "data at risk" not in views
    assert "Pogingen per contact" in views and "Toestellen: lang niet gesynchroniseerd" in views


def test_the_phone_says_dutch_words_while_it_starts():
    """`flet build` shows Flet's own English ("Working...") while the app starts unless the
    boot screen is given its words."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    boot = config["tool"]["flet"]["boot_screen"]
    words = boot[boot["name"]]
    assert words["prepare_message"].startswith("Dichtbij wordt")
    assert words["startup_message"] == "Dichtbij start…"
