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

        rows.append(
            ft.Card(
                ft.Container(
                    ft.Column(
                        [
                            ft.Text(
                                names.get(check.right, {}).get("name", check.right),
                                weight=ft.FontWeight.BOLD,
                            ),
                            ft.Text(names.get(check.right, {}).get("loket", ""), size=12),
                            ft.Dropdown(
                                label=T["status"],
                                value=check.status,
                                on_select=ui.handler(set_status),
                                options=[
                                    ft.DropdownOption(key=t.code, text=t.label)
                                    for t in vocabulary("right_status").terms
                                ],
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
