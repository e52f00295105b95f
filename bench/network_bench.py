"""Netwerkkaart figures for a 60-person network (fictional names): the layout alone, the
whole render (layout, scene, Flet canvas shapes) as the phone does it, the same read from an
unlocked vault, the SVG export, and a snapshot comparison with its sentences. Medians of
repeated runs; each line is `name: value unit`."""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core import network as net  # noqa: E402
from app.core.network_layout import layout  # noqa: E402
from app.core.network_scene import scene  # noqa: E402
from app.core.network_snapshot import compare, sentences  # noqa: E402
from app.core.network_svg import svg  # noqa: E402
from app.core.vocabulary import vocabulary  # noqa: E402
from app.services import open_vault  # noqa: E402
from app.ui.network_canvas import shapes_for  # noqa: E402

PASSPHRASE = "benchmark passphrase, fictional data"  # noqa: S105 - benchmark fixture
PEOPLE = 60
RUNS = 30
FIRST = ["Rita", "Karim", "Els", "Sarah", "Mia", "Jos", "Fatma", "Noor", "Yusuf", "Lotte"]
ROLES = ["Tante", "Buurvrouw", "Juf", "Oma", "Nonkel", "Collega", "Vriendin", "Coach"]


def network(rng: random.Random, count: int = PEOPLE) -> list[net.Node]:
    codes = {name: vocabulary(name).codes for name in ("sector", "tie", "support", "role")}
    return [
        net.new_node(
            f"node-{i:03d}",
            "case",
            "2026-01-05T10:00:00+00:00",
            name=f"{rng.choice(ROLES)} {rng.choice(FIRST)} {i}",
            sector=rng.choice(codes["sector"]),
            ring=rng.choice([1, 2, 3]),
            tie=rng.choice(codes["tie"]),
            supports=rng.sample(codes["support"], rng.randint(0, 3)),
            roles=rng.sample(codes["role"], rng.randint(0, 2)),
        )
        for i in range(count)
    ]


def later(rng: random.Random, nodes: list[net.Node]) -> list[net.Node]:
    """A few months on: some left, some came, ties and rings moved."""
    kept = [n for n in nodes if rng.random() > 0.15]
    moved = [
        net.edit_node(n, tie=rng.choice(vocabulary("tie").codes), ring=rng.choice([1, 2, 3]))
        if rng.random() < 0.3
        else n
        for n in kept
    ]
    newcomers = [net.edit_node(n, name=f"Nieuw {n.name}") for n in network(rng, 10)]
    return moved + [net.Node(**{**n.__dict__, "id": f"new-{i}"}) for i, n in enumerate(newcomers)]


def median_ms(call: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def render(nodes: list[net.Node]) -> None:
    placed = layout(nodes)
    shapes_for(scene(placed, nodes, "Gezin Bench"), 380 / placed.size, "light")


def main() -> None:
    rng = random.Random(60)
    nodes = network(rng)
    print(f"network_layout_{PEOPLE}: {median_ms(lambda: layout(nodes)):.1f} ms")
    print(f"network_render_{PEOPLE}: {median_ms(lambda: render(nodes)):.1f} ms")
    for size in (8, 30):  # small maps get the extra care (sliding apart, untangling lines)
        small = network(random.Random(size), size)
        print(f"network_render_{size}: {median_ms(lambda s=small: render(s)):.1f} ms")
    placed = layout(nodes)
    shapes = scene(placed, nodes, "Gezin Bench")
    print(f"network_svg_{PEOPLE}: {median_ms(lambda: svg(shapes, placed.size)):.1f} ms")
    then, now = nodes, later(rng, nodes)
    figure = median_ms(lambda: sentences(compare(then, now)), runs=200)
    print(f"network_compare_{PEOPLE}: {figure:.2f} ms")

    root = Path(tempfile.mkdtemp(prefix="dichtbij-network-bench-"))
    try:
        app = open_vault(root / "vault", PASSPHRASE, create=True, kdf={"n": 1024, "r": 8, "p": 1})
        case_id = app.add_case("Gezin Bench (fictief)")
        for node in nodes:
            fields = {k: getattr(node, k) for k in ("sector", "ring", "tie", "supports", "roles")}
            app.add_person(case_id, node.name, **fields)
        snap = app.snapshot(case_id, "intake")
        for node in app.network(case_id)[::4]:
            app.update_person(node.id, tie="steunend")

        def open_screen() -> None:
            render(app.network(case_id))

        print(f"network_screen_from_vault_{PEOPLE}: {median_ms(open_screen):.1f} ms")
        figure = median_ms(lambda: sentences(app.compare(case_id, snap)), runs=100)
        print(f"network_compare_from_vault_{PEOPLE}: {figure:.1f} ms")
        app.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
