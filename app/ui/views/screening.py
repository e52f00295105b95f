"""Rechten verkennen: a few questions at a time (skip allowed), the answers so far and
any of them changed later (`?vraag=<field>`), with what the change did to the suggestions,
and the suggestions with their reasons."""

from __future__ import annotations

import weakref
from urllib.parse import parse_qs, urlsplit

import flet as ft

from app.core.rights import changes, next_step, questions, relevant, steps
from app.core.vocabulary import vocabulary
from app.ui.routes import url
from app.ui.strings import T

# Per UI session: what the last changed answer did (shown once, after the rebuild).
_CHANGED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def screening(ui, case_id: str) -> ft.View:
    app = ui.session.app
    state = app.rights_profile(case_id)
    profile, skipped = dict(state["profile"]), list(state["skipped"])
    editing = _editing(ui.shown)
    if editing:
        candidates = [q for q in questions() if q["field"] == editing]
    else:
        step, count, open_now = next_step(profile, set(skipped))
        page = steps()[step - 1] if open_now else []
        # the page's open questions, follow-ups included: one shows once an answer picked
        # here makes it matter, before Volgende (it came after it, on a page still "Stap 1")
        candidates = [q for q in page if q["field"] not in profile and q["field"] not in skipped]
    answers: dict[str, tuple[str, list]] = {}
    boxes: dict[str, ft.TextField] = {}
    parts: dict[str, list[ft.Control]] = {}
    column = ft.Column()
    asked: list[dict] = []  # the questions on screen now

    def typed() -> dict:
        """The answers saved and those picked or typed on this screen, for relevance."""
        now = dict(profile)
        for question in candidates:
            name, kind = question["field"], question["type"]
            value = boxes[name].value if name in boxes else answers.get(name, (kind, None))[1]
            parsed = _parse(kind, value)
            if parsed is not None:
                now[name] = parsed
        return now

    def arrange() -> bool:
        """Show the questions that matter now; whether that changed."""
        now = typed()
        wanted = [q for q in candidates if editing or relevant(q, now)]
        if wanted == asked:
            return False
        asked[:] = wanted
        column.controls = [c for q in asked for c in parts[q["field"]]]
        return True

    def rearrange(_e=None) -> None:
        if arrange():
            ui.page.update()

    for question in candidates:
        name, kind = question["field"], question["type"]
        current = profile.get(name)
        title = ft.Text(question["label"], weight=ft.FontWeight.BOLD)
        if kind in ("number", "ages"):
            box = ft.TextField(
                label=question["label"],
                keyboard_type=ft.KeyboardType.NUMBER,
                value=_as_text(kind, current),
                on_change=ui.handler(rearrange),
            )
            boxes[name] = box
            parts[name] = [title, box]
            continue
        options = question.get("options") or {"ja": T["yes"], "nee": T["no"]}
        chosen = _as_codes(kind, current)
        answers[name] = (kind, chosen)
        row = ft.Row(wrap=True) if kind == "multi" else ui.one_of(question["label"])

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
            arrange()
            ui.page.update()

        row.controls = [
            ft.Chip(
                label=ft.Text(label),
                data=code,
                selected=code in chosen,
                on_select=ui.handler(lambda e, c=code, p=pick: p(e, code=c)),
            )
            for code, label in options.items()
        ]
        parts[name] = [title, row]
    arrange()

    async def save(_e) -> None:
        for name, box in boxes.items():
            text = (box.value or "").strip()
            bad = text and _parse(_kind(asked, name), text) is None
            box.error = T["not_a_number"] if bad else None
        if any(box.error for box in boxes.values()):
            ui.page.update()  # nothing saved: the worker corrects the number first
            return
        before = app.screening(case_id)
        for question in asked:
            name, kind = question["field"], question["type"]
            value = boxes[name].value if name in boxes else answers.get(name, (kind, None))[1]
            parsed = _parse(kind, value)
            if parsed is None:
                profile.pop(name, None)
                skipped.append(name)
            else:
                profile[name] = parsed
                if name in skipped:
                    skipped.remove(name)
        await ui.session.blocking(app.save_rights_profile, case_id, profile, skipped)
        if editing:
            _CHANGED[ui.session] = (case_id, changes(before, app.screening(case_id)))
            await ui.go(url("screening", case_id=case_id))
        else:
            ui.rebuild()

    controls: list[ft.Control] = [*stale_warning(app), ft.Text(T["screening_intro"])]
    controls += _what_changed(ui, case_id)
    action = None
    if asked:
        if not editing:
            controls += _progress(step, count)
        controls.append(column)
        # under the questions, always in reach: they need not be scrolled
        action = ui.action_button(
            T["save"] if editing else T["next"],
            ft.Icons.SAVE if editing else ft.Icons.ARROW_FORWARD,
            ui.handler(save),
        )
    if not editing:
        controls += _suggestions(ui, case_id)
        controls += _answers(ui, case_id, profile, skipped)
    back = url("screening", case_id=case_id) if editing else url("rights", case_id=case_id)
    return ui.screen(
        url("screening", case_id=case_id), T["screening_title"], controls, back=back, action=action
    )


def _progress(step: int, steps: int) -> list[ft.Control]:
    """Where the worker is: 'Stap 2 van 5' and a bar. The pages are fixed; a follow-up an
    answer makes relevant is asked on the same page, so the count never jumps."""
    return [
        ft.Text(T["screening_step"].format(step=step, steps=steps), weight=ft.FontWeight.BOLD),
        ft.ProgressBar(
            value=(step - 1) / steps if steps else 0, semantics_label=T["screening_bar"]
        ),
    ]


def stale_warning(app) -> list[ft.Control]:
    """A catalogue more than a year old: say so plainly, above everything else."""
    if not app.catalogue_stale():
        return []
    return [
        ft.Container(
            ft.Row(
                [
                    ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.ON_ERROR_CONTAINER),
                    ft.Text(T["catalogue_stale"], color=ft.Colors.ON_ERROR_CONTAINER, expand=True),
                ]
            ),
            bgcolor=ft.Colors.ERROR_CONTAINER,
            padding=12,
            border_radius=8,
        )
    ]


def _editing(route: str) -> str | None:
    """The field of `?vraag=<field>`, when it is a known question."""
    wanted = parse_qs(urlsplit(route).query).get("vraag", [""])[0]
    return wanted if any(q["field"] == wanted for q in questions()) else None


def _what_changed(ui, case_id: str) -> list[ft.Control]:
    """After a changed answer: which suggestions came up and which went away (once)."""
    kept = _CHANGED.pop(ui.session, None)
    if kept is None or kept[0] != case_id:
        return []
    added, removed = kept[1]
    lines: list[ft.Control] = [ft.Text(T["rescreen_title"], weight=ft.FontWeight.BOLD)]
    lines += [ft.Text(T["rescreen_added"].format(name=s.name)) for s in added]
    lines += [ft.Text(T["rescreen_removed"].format(name=s.name)) for s in removed]
    if not added and not removed:
        lines.append(ft.Text(T["rescreen_same"]))
    return [
        ft.Container(
            ft.Column(lines, tight=True),
            padding=12,
            border_radius=8,
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
        )
    ]


def _answers(ui, case_id: str, profile: dict, skipped: list[str]) -> list[ft.Control]:
    """Every answer so far, each changeable; skipped questions can still be answered."""
    given = [q for q in questions() if q["field"] in profile or q["field"] in skipped]
    if not given:
        return []
    out: list[ft.Control] = [ft.Text(T["answers_title"], size=18, weight=ft.FontWeight.BOLD)]
    for question in given:
        name = question["field"]
        shown = _shown(question, profile[name]) if name in profile else T["skipped"]
        out.append(
            ft.ListTile(
                title=ft.Text(question["label"]),
                subtitle=ft.Text(shown),
                trailing=ft.Semantics(
                    content=ft.TextButton(
                        T["change_answer"],
                        on_click=ui.link(url("screening", case_id=case_id, vraag=name)),
                    ),
                    label=T["change_answer_of"].format(question=question["label"]),
                    button=True,
                    container=True,
                ),
            )
        )
    return out


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
            tile = ft.ListTile(title=ft.Text(s.name), subtitle=ft.Text(f"{s.reason} · {s.loket}"))

            async def add(_e, right=s.right, tile=tile) -> None:
                await ui.session.blocking(app.set_right, case_id, right, status="mogelijk")
                tile.trailing = ft.Text(T["on_checklist"])
                ui.page.update()  # in place: the list keeps its scroll position

            tile.trailing = (
                ft.Text(T["on_checklist"])
                if s.right in on_list
                else ft.OutlinedButton(
                    ui.said(T["add_to_checklist"], s.name), on_click=ui.handler(add)
                )
            )
            out.append(tile)
    if not result.suggestions:
        out.append(ft.Text(T["no_suggestions"]))
    return out


def _shown(question: dict, value: object) -> str:
    options = question.get("options") or {}
    if question["type"] == "bool":
        return T["yes"] if value else T["no"]
    if question["type"] == "multi":
        return ", ".join(options.get(v, v) for v in value)  # type: ignore[attr-defined]
    if question["type"] == "one":
        return options.get(value, str(value))
    if question["type"] == "ages":
        return ", ".join(str(a) for a in value) or T["none"]  # type: ignore[attr-defined]
    return str(value)


def _as_text(kind: str, value: object) -> str:
    if value is None:
        return ""
    if kind == "ages":
        return ", ".join(str(a) for a in value)  # type: ignore[attr-defined]
    return str(value)


def _as_codes(kind: str, value: object) -> list:
    if value is None:
        return []
    if kind == "multi":
        return list(value)  # type: ignore[call-overload]
    if kind == "bool":
        return ["ja" if value else "nee"]
    return [value]


def _kind(asked: list[dict], name: str) -> str:
    return next(q["type"] for q in asked if q["field"] == name)


def _parse(kind: str, value: object) -> object:
    if value in (None, "", []):
        return None
    if kind == "multi":
        return list(value)  # type: ignore[call-overload]
    if kind == "one":
        return value[0]  # type: ignore[index]
    if kind == "bool":
        return value[0] == "ja"  # type: ignore[index]
    text = str(value).strip()
    if kind == "number":
        return int(text) if text.isdigit() else None
    ages = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    return [int(a) for a in ages] if all(a.isdigit() for a in ages) else None
