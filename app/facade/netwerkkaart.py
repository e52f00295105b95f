"""The netwerkkaart of a gezin: people and organisations around it, snapshots over time,
the guided prompts, and the pictures drawn from it."""

from __future__ import annotations

from typing import Any

from app.core import cases as case_rules
from app.core import network as network_rules
from app.core import network_snapshot as snapshot_rules
from app.core import records
from app.core.dates import parse_day
from app.core.errors import InvalidInput, NotFound
from app.core.localtime import today as local_today
from app.core.network import Node
from app.core.network_layout import layout as network_layout
from app.core.network_prompts import plan_answer, prompt
from app.core.network_scene import scene as network_scene
from app.core.network_snapshot import Comparison, Snapshot
from app.core.network_svg import summary_html
from app.core.network_svg import svg as network_picture
from app.facade.base import FacadeBase
from app.vault.index import where


class Netwerkkaart(FacadeBase):
    def network(self, case_id: str) -> list[Node]:
        """The gezin's netwerkkaart as it is now, in list order (sector, ring, name)."""
        self._record(case_rules.KIND, case_id)
        found = self._vault.find(network_rules.KIND, where("case_id") == case_id)
        return network_rules.ordered(Node.from_data(r.id, case_id, r.data) for r in found)

    def person(self, node_id: str) -> Node:
        record = self._record(network_rules.KIND, node_id)
        return Node.from_data(record.id, record.case_id or "", record.data)

    def add_person(self, case_id: str, name: str, **fields: Any) -> str:
        """A person or organisation on the map (sector, ring, tie, supports, roles, note)."""
        self._record(case_rules.KIND, case_id)
        record = self._new_person(case_id, name, fields)
        self._vault.put(record)
        return record.id

    def update_person(self, node_id: str, **changes: Any) -> None:
        self._vault.put(self._changed_person(node_id, changes))

    def remove_person(self, node_id: str) -> None:
        self._vault.put(self._tombstone(self._record(network_rules.KIND, node_id)))

    def answer_prompt(
        self,
        case_id: str,
        prompt_id: str,
        answer: str,
        sector: str | None = None,
        ring: int | str | None = None,
    ) -> list[str]:
        """A guiding question answered with one or more names ('mama, buurvrouw Rita'): new
        people with the question's supports and roles, or those codes added to people already
        on the map. Saved together; returns the ids of the people concerned."""
        plans = plan_answer(prompt(prompt_id), answer, self.network(case_id), sector, ring)
        batch = [
            self._new_person(case_id, p.name, p.fields)
            if p.existing is None
            else self._changed_person(p.existing.id, p.fields)
            for p in plans
        ]
        self._vault.put_many(batch)
        return [r.id for r in batch]

    def snapshot(self, case_id: str, label: str = "", day: str | None = None) -> str:
        """Freeze the netwerkkaart under a date (today unless given) and a label."""
        taken = snapshot_rules.take(
            records.new_id(),
            case_id,
            self.network(case_id),
            day or local_today(self._now()).isoformat(),
            label,
            self._stamp(),
        )
        meta = snapshot_rules.snapshot_meta(taken)
        self._save_new(snapshot_rules.KIND, taken.id, taken.to_data(), meta, case_id)
        return taken.id

    def snapshots(self, case_id: str) -> list[Snapshot]:
        """The gezin's snapshots, oldest first."""
        self._record(case_rules.KIND, case_id)
        found = [
            Snapshot.from_data(r.id, case_id, r.data)
            for r in self._vault.find(snapshot_rules.KIND, where("case_id") == case_id)
        ]
        return sorted(found, key=lambda s: (s.day, s.created_at, s.id))

    def edit_snapshot(
        self, snapshot_id: str, *, label: str | None = None, day: str | None = None
    ) -> None:
        """Rename a snapshot or correct its date; the people on it stay as they were."""
        record = self._record(snapshot_rules.KIND, snapshot_id)
        old = Snapshot.from_data(record.id, record.case_id or "", record.data)
        new = snapshot_rules.take(
            old.id,
            old.case_id,
            old.nodes,
            old.day if day is None else day,
            old.label if label is None else label,
            old.created_at,
        )
        data = {**new.to_data(), "nodes": record.data.get("nodes", [])}  # frozen as taken
        self._vault.put(self._revise(record, data, snapshot_rules.snapshot_meta(new)))

    def delete_snapshot(self, snapshot_id: str) -> None:
        self._vault.put(self._tombstone(self._record(snapshot_rules.KIND, snapshot_id)))

    def network_at(self, case_id: str, snapshot_id: str | None) -> list[Node]:
        """A snapshot's nodes, or (`None`) the netwerkkaart now."""
        if snapshot_id is None:
            return self.network(case_id)
        record = self._record(snapshot_rules.KIND, snapshot_id)
        if record.case_id != case_id:
            raise NotFound(snapshot_rules.KIND, snapshot_id)
        return list(Snapshot.from_data(record.id, case_id, record.data).nodes)

    def compare(self, case_id: str, before: str, after: str | None = None) -> Comparison:
        """Then vs now: snapshot `before` against snapshot `after` (or the map now)."""
        return snapshot_rules.compare(
            self.network_at(case_id, before), self.network_at(case_id, after)
        )

    def export_network(
        self,
        case_id: str,
        what: str = "svg",
        *,
        audience: str = "client",
        consent_day: str | None = None,
        theme: str = "light",
    ) -> tuple[str, str, bytes]:
        """The picture (`svg`) or a one-page summary (`summary`, HTML) as (file name, mime
        type, bytes), for the share sheet: nothing is written to storage. A summary for a
        cliëntoverleg (`audience="overleg"`) needs the day the client consented."""
        if what not in ("svg", "summary") or audience not in ("client", "overleg"):
            raise InvalidInput("export", "unknown_code", value=f"{what}/{audience}")
        consent = parse_day(consent_day, "consent", local_today(self._now()), past=True)
        if audience == "overleg" and not consent:
            raise InvalidInput("consent", "none")
        case = self.case(case_id)
        nodes = network_rules.shared(self.network(case_id))  # the client left some out
        placed = network_layout(nodes)
        picture = network_picture(network_scene(placed, nodes, case.name), placed.size, theme)
        day = local_today(self._now()).isoformat()
        if what == "svg":
            return f"netwerkkaart-{day}.svg", "image/svg+xml", picture.encode("utf-8")
        labels = dict(network_rules.method()["summary"])
        earlier = self.snapshots(case_id)
        changes: list[str] = []
        if earlier:
            first = earlier[0]
            then = network_rules.shared(first.nodes)
            changes = snapshot_rules.sentences(snapshot_rules.compare(then, nodes))
            labels["changes"] = labels["changes"].format(label=first.label or first.day)
        footer = "footer_client" if audience == "client" else "footer_overleg"
        shown = f"{consent[8:]}-{consent[5:7]}-{consent[:4]}" if consent else ""  # DD-MM-JJJJ
        labels["footer"] = labels[footer].format(day=shown)
        page = summary_html(
            title=labels["title"].format(name=case.name),
            day=day,
            picture=picture,
            nodes=nodes,
            changes=changes,
            labels=labels,
        )
        return f"netwerkkaart-{audience}-{day}.html", "text/html", page.encode("utf-8")

    def _new_person(self, case_id: str, name: str, fields: dict[str, Any]) -> records.Record:
        node_id = records.new_id()
        node = network_rules.new_node(node_id, case_id, self._stamp(), name=name, **fields)
        meta = network_rules.node_meta(node)
        return self._created(network_rules.KIND, case_id, node_id, node.to_data(), meta)

    def _changed_person(self, node_id: str, changes: dict[str, Any]) -> records.Record:
        record = self._record(network_rules.KIND, node_id)
        node = network_rules.edit_node(
            Node.from_data(node_id, record.case_id or "", record.data), **changes
        )
        return self._revise(record, node.to_data(), network_rules.node_meta(node))
