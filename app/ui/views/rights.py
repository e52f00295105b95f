"""Rechtenverkenner screens: the checklist of a gezin, the screening as a short question flow
(a few questions at a time, skip allowed), the suggestions with their reasons, and a plain
view for the client ("waar heb je misschien recht op")."""

from __future__ import annotations

import flet as ft

from app.core.rights import next_questions
from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.strings import T


def checklist(ui, case_id: str) -> ft.View:
    app = ui.session.app
    case = app.case(case_id)
    used = app.catalogue()
    names = {r["id"]: r for r in used["rights"]}
    rows: list[ft.Control] = [
        ft.Text(
            T["catalogue_of"].format(date=fmt.day(used["date"]), version=used["version"]), size=12
        ),
        ft.Text(T["rights_realised"].format(count=app.rights_realised(case_id))),
        ft.Row(
            [
                ft.FilledButton(
                    T["screening_start"],
                    icon=ft.Icons.QUIZ,
                    on_click=ui.link(f"/screening/{case_id}"),
                ),
                ft.OutlinedButton(
                    T["client_view"],
                    icon=ft.Icons.PERSON,
                    on_click=ui.link(f"/voor-client/{case_id}"),
                ),
            ],
            wrap=True,
        ),
    ]
    for check in app.right_checks(case_id):

        async def set_status(e, right=check.right) -> None:
            await ui.session.blocking(app.set_right, case_id, right, status=e.control.value)
            ui.rebuild()

        right = names.get(check.right, {})
        rows.append(
            ft.Card(
                ft.Container(
                    ft.Column(
                        [
                            ft.Text(right.get("name", check.right), weight=ft.FontWeight.BOLD),
                            ft.Text(right.get("loket", ""), size=12),
                            ui.named(
                                ft.Dropdown(
                                    label=T["status"],
                                    value=check.status,
                                    on_select=ui.handler(set_status),
                                    options=_options("right_status"),
                                ),
                                T["status_of"].format(
                                    name=right.get("name", check.right),
                                    status=vocabulary("right_status").label(check.status),
                                ),
                            ),
                            *([ft.Text(summary, size=13)] if (summary := _summary(check)) else []),
                            ft.TextButton(
                                T["right_details"],
                                icon=ft.Icons.EDIT_NOTE,
                                on_click=ui.link(f"/recht/{case_id}/{check.right}"),
                            ),
                        ]
                    ),
                    padding=12,
                )
            )
        )
    return ui.screen(
        f"/rechten/{case_id}", f"{T['rights_title']} · {case.name}", rows, back=f"/gezin/{case_id}"
    )


def right_detail(ui, case_id: str, right_id: str) -> ft.View:
    """One right of the checklist: where it stands, who does what by when, why it is not
    taken up, what to bring, the sources and the history of its status."""
    app = ui.session.app
    check = next((c for c in app.right_checks(case_id) if c.right == right_id), None)
    right = {r["id"]: r for r in app.catalogue()["rights"]}.get(right_id)
    if check is None or right is None:
        return ui.screen(
            f"/recht/{case_id}/{right_id}",
            T["rights_title"],
            [ft.Text(T["right_not_on_list"])],
            back=f"/rechten/{case_id}",
        )
    status = ft.Dropdown(label=T["status"], value=check.status, options=_options("right_status"))
    reason = ft.Dropdown(
        label=T["non_take_up"],
        value=check.non_take_up or "",
        options=[ft.DropdownOption(key="", text=T["none"]), *_options("non_take_up")],
    )
    who = ft.TextField(label=T["right_who"], value=check.who)
    next_step = ft.TextField(label=T["right_next_step_day"], value=fmt.day_input(check.follow_up))
    deadline = ft.TextField(label=T["right_deadline_day"], value=fmt.day_input(check.deadline))
    note = ft.TextField(label=T["right_note"], value=check.note, multiline=True, min_lines=2)

    async def save(_e) -> None:
        await ui.session.blocking(
            app.set_right,
            case_id,
            right_id,
            status=status.value,
            non_take_up=reason.value or None,
            who=who.value or "",
            follow_up=next_step.value or None,
            deadline=deadline.value or None,
            note=note.value or "",
        )
        ui.toast(T["saved"])
        await ui.go(f"/rechten/{case_id}")

    facts: list[ft.Control] = [
        ft.Text(right["name"], size=20, weight=ft.FontWeight.BOLD),
        ft.Text(f"{right['loket']} · {T['automatic_' + _automatic(right)]}"),
        ui.named(status, T["status"]),
        ui.named(reason, T["non_take_up"]),
        who,
        next_step,
        deadline,
        note,
        ft.FilledButton(T["save"], icon=ft.Icons.SAVE, on_click=ui.handler(save)),
    ]
    if right.get("documents"):
        facts.append(ft.Text(T["documents"], weight=ft.FontWeight.BOLD))
        facts += [ft.Text(f"• {d}") for d in right["documents"]]
    facts.append(ft.Text(T["sources"], weight=ft.FontWeight.BOLD))
    for source in right["sources"]:
        line = T["source_checked"].format(title=source["title"], day=fmt.day(source["checked"]))
        facts.append(ft.Text(line, size=12))
        if source.get("url"):
            facts.append(ft.Text(source["url"], size=12))
    facts.append(ft.Text(T["history"], weight=ft.FontWeight.BOLD))
    labels = vocabulary("right_status")
    facts += [
        ft.Text(f"{fmt.when(h.at)} · {labels.label(h.status)}", size=13)
        for h in reversed(check.history)
    ]
    return ui.screen(
        f"/recht/{case_id}/{right_id}", T["rights_title"], facts, back=f"/rechten/{case_id}"
    )


def _options(name: str) -> list[ft.DropdownOption]:
    return [ft.DropdownOption(key=t.code, text=t.label) for t in vocabulary(name).terms]


def _summary(check) -> str:
    """'Sara · volgende stap 3 dec 2026 · uiterlijk 20 dec 2026' (only what is filled in)."""
    parts = [check.who] if check.who else []
    if check.follow_up:
        parts.append(T["next_step_on"].format(day=fmt.day(check.follow_up)))
    if check.deadline:
        parts.append(T["deadline_on"].format(day=fmt.day(check.deadline)))
    return " · ".join(parts)


def _automatic(right: dict) -> str:
    return {"yes": "yes", "no": "no"}.get(right["automatic"], "partly")


def screening(ui, case_id: str) -> ft.View:
    app = ui.session.app
    state = app.rights_profile(case_id)
    profile, skipped = dict(state["profile"]), list(state["skipped"])
    asked = next_questions(profile, set(skipped))
    answers: dict[str, object] = {}
    boxes: dict[str, ft.TextField] = {}
    inputs: list[ft.Control] = []
    for question in asked:
        name, kind = question["field"], question["type"]
        inputs.append(ft.Text(question["label"], weight=ft.FontWeight.BOLD))
        if kind in ("number", "ages"):
            box = ft.TextField(label=question["label"], keyboard_type=ft.KeyboardType.NUMBER)
            boxes[name] = box
            inputs.append(box)
            continue
        options = question.get("options") or {"ja": T["yes"], "nee": T["no"]}
        row = ft.Row(wrap=True)

        def pick(_e, n=name, k=kind, code=None, row=row) -> None:
            chosen = answers.get(n, (k, []))[1]
            chosen = (
                [c for c in chosen if c != code]
                if code in chosen
                else ([*chosen, code] if k == "multi" else [code])
            )
            answers[n] = (k, chosen)
            for chip in row.controls:
                chip.selected = chip.data in chosen
            ui.page.update()

        row.controls = [
            ft.Chip(
                label=ft.Text(label),
                data=code,
                on_select=ui.handler(lambda e, c=code, p=pick: p(e, code=c)),
            )
            for code, label in options.items()
        ]
        inputs.append(row)

    async def save(_e) -> None:
        for name, box in boxes.items():
            text = (box.value or "").strip()
            bad = text and _parse(_kind(asked, name), text) is None
            box.error = T["not_a_number"] if bad else None
        if any(box.error for box in boxes.values()):
            ui.page.update()  # nothing saved: the worker corrects the number first
            return
        for question in asked:
            name, kind = question["field"], question["type"]
            value = boxes[name].value if name in boxes else answers.get(name, (kind, None))[1]
            parsed = _parse(kind, value)
            if parsed is None:
                skipped.append(name)
            else:
                profile[name] = parsed
        await ui.session.blocking(app.save_rights_profile, case_id, profile, skipped)
        ui.rebuild()

    controls: list[ft.Control] = [ft.Text(T["screening_intro"])]
    if asked:
        controls += [
            *inputs,
            ft.FilledButton(T["next"], icon=ft.Icons.ARROW_FORWARD, on_click=ui.handler(save)),
        ]
    controls += _suggestions(ui, case_id)
    return ui.screen(
        f"/screening/{case_id}", T["screening_title"], controls, back=f"/rechten/{case_id}"
    )


def _suggestions(ui, case_id: str) -> list[ft.Control]:
    app = ui.session.app
    result = app.screening(case_id)
    on_list = {c.right for c in app.right_checks(case_id)}
    out: list[ft.Control] = [ft.Text(T["suggestions"], size=18, weight=ft.FontWeight.BOLD)]
    by_domain: dict[str, list] = {}
    for suggestion in result.suggestions:
        by_domain.setdefault(suggestion.domain, []).append(suggestion)
    for domain, items in by_domain.items():
        out.append(ft.Text(vocabulary("domain").label(domain), weight=ft.FontWeight.BOLD))
        for s in items:

            async def add(_e, right=s.right) -> None:
                await ui.session.blocking(app.set_right, case_id, right, status="mogelijk")
                ui.rebuild()

            button = (
                ft.Text(T["on_checklist"], size=12)
                if s.right in on_list
                else ft.OutlinedButton(T["add_to_checklist"], on_click=ui.handler(add))
            )
            out.append(
                ft.ListTile(
                    title=ft.Text(s.name),
                    subtitle=ft.Text(f"{s.reason} · {s.loket}"),
                    trailing=button,
                )
            )
    if not result.suggestions:
        out.append(ft.Text(T["no_suggestions"]))
    return out


def for_client(ui, case_id: str) -> ft.View:
    """Large, plain language; no private notes, no reasons about the family's situation."""
    app = ui.session.app
    rows: list[ft.Control] = [ft.Text(T["client_intro"], size=20)]
    for s in app.screening(case_id).suggestions:
        rows.append(ft.Text(f"• {s.name}", size=22, weight=ft.FontWeight.BOLD))
        rows.append(ft.Text(T["ask_at"].format(loket=s.loket), size=18))
    return ui.screen(f"/voor-client/{case_id}", T["client_title"], rows, back=f"/rechten/{case_id}")


def _kind(questions: list[dict], name: str) -> str:
    return next(q["type"] for q in questions if q["field"] == name)


def _parse(kind: str, value: object) -> object:
    if value in (None, "", []):
        return None
    if kind == "multi":
        return list(value)  # type: ignore[arg-type]
    if kind == "one":
        return value[0]  # type: ignore[index]
    if kind == "bool":
        return value[0] == "ja"  # type: ignore[index]
    text = str(value).strip()
    if kind == "number":
        return int(text) if text.isdigit() else None
    ages = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    return [int(a) for a in ages] if all(a.isdigit() for a in ages) else None
