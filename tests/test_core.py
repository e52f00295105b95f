"""Domain rules of app/core: gezinnen, notes, timeline, clock, passphrase policy."""

import pytest

from app.core import cases, notes
from app.core.errors import InvalidInput, WeakPassphrase
from app.core.hlc import HybridClock, decode
from app.core.passphrase import check_passphrase, is_valid_pin, strength
from app.core.timeline import attempt_ratio, timeline

T0 = "2026-03-02T08:30:00+00:00"
T1 = "2026-03-09T08:30:00+00:00"
T2 = "2026-03-16T08:30:00+00:00"


def make_case(**fields):
    return cases.new_case("c1", "Gezin Test", T0, **fields)


def test_new_case_starts_in_eerste_onthaal_and_actief_with_history():
    case = make_case()
    assert (case.phase, case.status) == ("eerste_onthaal", "actief")
    assert [c.code for c in case.phase_history] == ["eerste_onthaal"]


def test_moving_back_a_phase_keeps_the_whole_history():
    case = make_case()
    case = cases.change_phase(case, "uitvoering", T1)
    case = cases.change_phase(case, "vraagverduidelijking", T2)
    assert case.phase == "vraagverduidelijking"
    assert [c.code for c in case.phase_history] == [
        "eerste_onthaal",
        "uitvoering",
        "vraagverduidelijking",
    ]


def test_lager_pitje_needs_a_revisit_date_and_actief_clears_it():
    case = make_case()
    with pytest.raises(InvalidInput):
        cases.change_status(case, "lager_pitje", T1)
    case = cases.change_status(case, "lager_pitje", T1, revisit="2026-05-01")
    assert case.revisit == "2026-05-01"
    case = cases.change_status(case, "actief", T2, revisit="2026-06-01")
    assert case.revisit is None
    assert [c.code for c in case.status_history] == ["actief", "lager_pitje", "actief"]


def test_case_fields_are_validated():
    with pytest.raises(InvalidInput):
        make_case(met_where="bushalte")
    with pytest.raises(InvalidInput):
        make_case(needs={"huisvesting": "x"})
    with pytest.raises(InvalidInput):
        make_case(members=[{"name": ""}])
    with pytest.raises(InvalidInput):
        cases.new_case("c", "  ", T0)
    case = make_case(
        members=[{"name": "Mama", "relation": "moeder", "birth_year": 1990}],
        reach=[{"channel": "whatsapp", "value": "via de school"}],
        needs={"wonen": "vocht"},
        strengths=["veerkrachtig"],
    )
    assert cases.Case.from_data(case.id, case.to_data()) == case


def test_case_meta_carries_only_codes():
    case = make_case(members=[{"name": "Mama"}], needs={"wonen": "vocht"})
    assert cases.case_meta(case) == {
        "phase": "eerste_onthaal",
        "status": "actief",
        "opened": "2026-03-02",
    }


def test_note_needs_text_unless_attempt_or_check_in():
    with pytest.raises(InvalidInput) as caught:
        notes.new_note("n", "c", T0, text="   ")
    assert caught.value.field == "text"
    attempt = notes.new_note("n", "c", T0, contact="poging", attempt_reason="niet_thuis")
    assert attempt.text == ""
    checkin = notes.new_note("n", "c", T0, contact="check_in", check_in={"draagkracht": 4})
    assert checkin.check_in.draagkracht == 4


def test_attempt_needs_a_known_reason_and_only_attempts_have_one():
    with pytest.raises(InvalidInput):
        notes.new_note("n", "c", T0, contact="poging")
    with pytest.raises(InvalidInput):
        notes.new_note("n", "c", T0, contact="poging", attempt_reason="weg")
    with pytest.raises(InvalidInput):
        notes.new_note("n", "c", T0, text="x", attempt_reason="niet_thuis")


@pytest.mark.parametrize("value", [-1, 11, 3.5, True, "5"])
def test_draagkracht_is_a_whole_number_from_0_to_10(value):
    with pytest.raises(InvalidInput):
        notes.new_note("n", "c", T0, contact="check_in", check_in={"draagkracht": value})


def test_note_round_trips_and_edit_revalidates():
    note = notes.new_note(
        "n",
        "c",
        T0,
        text="Gesprek aan de schoolpoort",
        domains=["wonen", "kinderen"],
        setting="schoolpoort",
        follow_up={"what": "Bellen met OCMW", "who": "ik", "due": "2026-03-05"},
        visibility="memo",
        client_may_see=False,
        barriers=["digitaal"],
    )
    assert notes.Note.from_data("n", "c", note.to_data()) == note
    edited = notes.edit_note(note, domains=["werk"])
    assert edited.domains == ("werk",) and edited.text == note.text
    with pytest.raises(InvalidInput):
        notes.edit_note(note, setting="maan")
    done = notes.complete_follow_up(note)
    assert done.follow_up.done and not note.follow_up.done


def test_bad_follow_up_date_is_refused():
    with pytest.raises(InvalidInput) as caught:
        notes.new_note("n", "c", T0, text="x", follow_up={"what": "bellen", "due": "31/02/2026"})
    assert caught.value.field == "follow_up_due"


def test_note_meta_has_codes_and_day_but_no_text_or_people():
    note = notes.new_note(
        "n",
        "c",
        T0,
        text="geheim",
        domains=["wonen"],
        setting="huisbezoek",
        follow_up={"what": "geheim", "who": "buurvrouw"},
        barriers=["wachtlijst"],
    )
    meta = notes.note_meta(note)
    assert meta == {
        "day": "2026-03-02",
        "contact": "informeel",
        "domains": ["wonen"],
        "barriers": ["wachtlijst"],
        "setting": "huisbezoek",
    }


def test_timeline_is_newest_first_and_mixes_notes_and_changes():
    case = cases.change_phase(make_case(), "uitvoering", T2)
    note = notes.new_note("n1", "c1", T1, text="x")
    other = notes.new_note("n2", "other", T1, text="y")
    events = timeline(case, [note, other])
    assert [(e.kind, e.code) for e in events] == [
        ("phase", "uitvoering"),
        ("note", "informeel"),
        ("status", "actief"),
        ("phase", "eerste_onthaal"),
    ]


def test_attempt_ratio_counts_attempts_against_real_contacts():
    items = [
        notes.new_note("a", "c", T0, contact="poging", attempt_reason="niet_thuis"),
        notes.new_note("b", "c", T0, contact="poging", attempt_reason="geen_antwoord"),
        notes.new_note("d", "c", T0, text="eindelijk contact"),
    ]
    assert attempt_ratio(items) == (2, 1)


def test_clock_never_goes_backwards_even_when_the_wall_clock_does():
    wall = [1000.0]
    clock = HybridClock("dev1", now=lambda: wall[0])
    first = clock.tick()
    wall[0] -= 3 * 86400  # clock skew of days
    second = clock.tick()
    assert second > first
    clock.observe("000002000000000-00007-other")  # a stamp from a device that runs ahead
    third = clock.tick()
    assert third > "000002000000000-00007-other"
    assert decode(third)[2] == "dev1"


@pytest.mark.parametrize(
    "good", ["twaalf tekens", "kort maar vier woorden", "Zomer2026!Gent", "de kat is weg"]
)
def test_passphrase_policy_accepts(good):
    assert check_passphrase(good) == good
    assert strength(good) >= 1


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("", "blank"),
        ("kort", "short"),
        ("drie korte woorden"[:11], "short"),
        # Trivially weak ones that once passed: single letters are no words, spaces are
        # no characters, and a famous passphrase is guessed first whatever its length.
        ("a b c d", "short"),
        ("    ", "blank"),
        (" " * 16, "blank"),
        ("x" * 12, "repetitive"),
        ("ab ab ab ab ab ab", "repetitive"),
        ("Wachtwoord123!", "common"),
        ("Welkom Welkom", "common"),
        ("qwertyuiop", "common"),
    ],
)
def test_passphrase_policy_refuses(bad, reason):
    with pytest.raises(WeakPassphrase) as refused:
        check_passphrase(bad)
    assert refused.value.reason == reason
    assert strength(bad) == 0
    from app.messages import describe

    reasons = ("blank", "short", "repetitive", "common")
    assert len({describe(WeakPassphrase(r)) for r in reasons}) == 4  # a sentence for each
    assert "wachtzin" in describe(refused.value)


def test_pin_needs_six_digits():
    assert is_valid_pin("123456") and not is_valid_pin("12345") and not is_valid_pin("12345a")


def test_today_lists_due_follow_ups_time_outs_and_gezinnen_not_seen():
    import datetime as dt

    from app.core.today import today_items

    fresh = cases.new_case("c1", "Gezin Vers", "2026-03-01T09:00:00+00:00")
    paused = cases.change_status(
        cases.new_case("c2", "Gezin Pauze", "2026-01-01T09:00:00+00:00"),
        "lager_pitje",
        "2026-02-01T09:00:00+00:00",
        revisit="2026-03-10",
    )
    quiet = cases.new_case("c3", "Gezin Stil", "2026-01-01T09:00:00+00:00")
    items = [
        notes.new_note(
            "n1",
            "c1",
            "2026-03-08T09:00:00+00:00",
            text="x",
            follow_up={"what": "OCMW bellen", "due": "2026-03-09"},
        ),
        notes.new_note(
            "n2",
            "c1",
            "2026-03-08T09:00:00+00:00",
            text="x",
            follow_up={"what": "later", "due": "2026-04-01"},
        ),
        notes.new_note("n3", "c3", "2026-02-01T09:00:00+00:00", text="x"),
        notes.new_note(
            "n4", "c3", "2026-03-09T09:00:00+00:00", contact="poging", attempt_reason="niet_thuis"
        ),  # an attempt is not a contact
    ]
    found = today_items([fresh, paused, quiet], items, dt.date(2026, 3, 10), not_seen_weeks=3)
    assert [(i.kind, i.case_id, i.overdue, i.section) for i in found] == [
        ("follow_up", "c1", True, "overdue"),
        ("time_out", "c2", False, "today"),
        ("follow_up", "c1", False, "later"),  # 1 april: further off, still on the agenda
        ("not_seen", "c3", False, "not_seen"),
    ]
    assert found[0].text == "OCMW bellen" and found[0].note_id == "n1"


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("2026-12-03", "2026-12-03"),
        ("03-12-2026", "2026-12-03"),
        ("3/12/2026", "2026-12-03"),
        ("3.12.2026", "2026-12-03"),
        (" 29-02-2028 ", "2028-02-29"),
    ],
)
def test_days_are_read_as_people_here_write_them(typed, stored):
    from app.core.dates import parse_day

    assert parse_day(typed, "due") == stored


@pytest.mark.parametrize("typed", ["31-02-2026", "12-2026", "2026/12/03x", "morgen", "03-13-2026"])
def test_impossible_days_are_refused_by_name(typed):
    from app.core.dates import parse_day

    with pytest.raises(InvalidInput) as caught:
        parse_day(typed, "due")
    assert caught.value.problem == "bad_date"


def test_a_refusal_is_said_as_what_to_do_never_in_the_servers_words():
    from app.core.errors import ServerRejected
    from app.messages import describe

    def refused(status, error, path="/v1/pull", retry_after=None):
        return describe(
            ServerRejected(
                "the server's own reason",
                status=status,
                error=error,
                path=path,
                retry_after=retry_after,
            )
        )

    assert "nieuwe" in refused(401, "unauthorized", "/v1/enrol/complete")  # a used code
    assert "koppel dit toestel opnieuw" in refused(401, "unauthorized")  # credential unknown
    assert "Wacht 30 seconden" in refused(429, "too_many_attempts", "/v1/enrol/begin", 30)
    assert "Wacht 15 minuten" in refused(429, "too_many_attempts", "/v1/enrol/begin", 900)
    assert "(code 418)" in refused(418, "teapot")
    assert "(code 400)" in refused(400, "")  # no JSON body at all
    said = [refused(s, e) for s, e in ((403, "forbidden"), (413, "too_large"), (409, "x"))]
    assert all("server's own" not in s for s in said)
