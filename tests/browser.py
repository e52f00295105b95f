"""The field app served as a web app (CDN off) and driven in Debian's Chromium by Playwright.

Flutter draws on a canvas; with semantics switched on it mirrors every control as ARIA
elements, which is what the tests (and screen readers) use.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack

from tests.conftest import ARTIFACTS, FAST_KDF, PASSPHRASE
from tests.server_process import REPO, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip the calling test module without Debian's chromium; CI runs as root and installs
    it, so there its absence is an error, not a skip."""
    import pytest

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") and os.geteuid() == 0:
            raise RuntimeError("CI runs as root and installs chromium: it must be there")
        pytest.skip(
            "Debian chromium is not installed (apt-get install chromium)", allow_module_level=True
        )


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian chromium driven by Playwright (its own browser downloads are off)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class AppProcess:
    def __init__(
        self, data_dir: Path, log: Path, auto_lock: float = 300, dev_pin: bool = False
    ) -> None:
        self.data_dir, self.log, self.auto_lock = data_dir, log, auto_lock
        self.dev_pin = dev_pin
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.started = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> AppProcess:
        env = {**os.environ, "FLET_FORCE_WEB_SERVER": "1"}
        if self.dev_pin:  # the file keystore stays with the test's files, not in ~/.config
            env["DICHTBIJ_DEV_KEYSTORE"] = str(self.log.parent / "dev-keystore")
        env.pop("DISPLAY", None)
        self.started = time.monotonic()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "--data",
                    str(self.data_dir),
                    "app",
                    "--web",
                    "--port",
                    str(self.port),
                    "--auto-lock",
                    str(self.auto_lock),
                    *(["--dev-pin"] if self.dev_pin else []),
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url, timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"app did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None


OPENED: list = []  # browser contexts of `open_page`, in order (closed by `close_opened`)


def close_opened(keep: int) -> None:
    """Close the pages opened after the first `keep`: a page left open on an app that was
    stopped keeps Flutter drawing and reconnecting, and the module's later tests (and their
    figures) ran on a busier machine."""
    from playwright.sync_api import Error

    while len(OPENED) > keep:
        with contextlib.suppress(Error):
            OPENED.pop().close()


SILENCED = """
new MutationObserver(() => {
  for (const live of document.querySelectorAll(
      'flt-announcement-polite, flt-announcement-assertive')) {
    if (live.textContent) live.textContent = '';
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def open_page(browser, url: str, **context_options):
    """A phone-sized page on the app, semantics on; only loopback traffic is allowed."""
    return load(blank_page(browser, **context_options), url)


def blank_page(browser, **context_options):
    """A phone-sized page, not yet on the app (see `load`)."""
    options = {"viewport": {"width": 412, "height": 915}, "device_scale_factor": 1}
    context = browser.new_context(**{**options, **context_options})
    context.route(
        re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda route: route.abort()
    )
    # What Flutter hands a screen reader to say (a new screen's title, a toast) sits for a
    # moment in a live region off the screen: a test looking for a title found it twice.
    # Tests read the screen; what is said is checked from the app's frames (`announced`).
    context.add_init_script(SILENCED)
    OPENED.append(context)
    page = context.new_page()
    SENT[page], RECEIVED[page] = [], []

    def listen(ws) -> None:
        ws.on("framesent", lambda frame: SENT[page].append(frame))
        ws.on("framereceived", lambda frame: RECEIVED[page].append(frame))

    page.on("websocket", listen)
    return page


def load(page, url: str):
    """Open the app on a `blank_page` and switch Flutter's semantics on."""
    page.goto(url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    return page


SENT: dict = {}  # page -> frames the Flet client sent to the app, in order
RECEIVED: dict = {}  # page -> frames the app sent to the Flet client, in order


def received_controls(page, kind: str, since: int = 0) -> list[dict]:
    """The controls of one kind (Flet's name, e.g. "Text") among the frames the app sent to
    the browser since frame `since`, as the property dicts the Flutter client got."""
    found: list[dict] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            if value.get("_c") == kind:
                found.append(value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for frame in RECEIVED[page][since:]:
        if isinstance(frame, bytes):  # a frame may hold several messages
            unpacker = msgpack.Unpacker(raw=False, strict_map_key=False)
            unpacker.feed(frame)
            for message in unpacker:
                walk(message)
    return found


def announced(page, text: str, since: int = 0) -> bool:
    """Whether the app asked the screen reader to say `text` since frame `since`."""
    said = msgpack.packb(text)
    return any(
        isinstance(frame, bytes) and b"announce_message" in frame and said in frame
        for frame in RECEIVED[page][since:]
    )


def sent_count(page) -> int:
    return len(SENT[page])


def was_sent(page, text: str, since: int, timeout: float) -> bool:
    """Whether the browser told the app a field's new value within `timeout` seconds.

    The DOM shows typed text before Flutter reports it to the app; a tap right after could
    reach the app first. The app handles messages in order, so once the value frame has been
    sent, whatever the test does next is seen after it.
    """
    return was_heard(page, b"\xa5value" + msgpack.packb(text), since, timeout)


def settle(seconds: float = 0.7) -> None:
    """Let Flutter finish its transition before a screenshot (the DOM updates first)."""
    time.sleep(seconds)


def was_heard(page, needle: bytes, since: int, timeout: float, frames: dict = SENT) -> bool:
    """Whether a frame holding `needle` went to the app (or, with `frames=RECEIVED`, came
    from it) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(isinstance(f, bytes) and needle in f for f in frames[page][since:]):
            return True
        page.wait_for_timeout(30)  # lets Playwright deliver the frame events
    return False


def quiet(page, still: float = 0.3, limit: float = 5) -> None:
    """Wait until the app has sent the page nothing for `still` seconds (at most `limit`): a
    fixed pause alone photographed the screen before the one asked for on a busy machine."""
    deadline = time.monotonic() + limit
    seen, since = len(RECEIVED.get(page, [])), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)  # Playwright hands over the frames while it waits
        now, count = time.monotonic(), len(RECEIVED.get(page, []))
        if count != seen:
            seen, since = count, now
        elif now - since >= still:
            return


def shot(page, name: str, folder: str = "ui", full_page: bool = False, wait: float = 0.4) -> None:
    """A screenshot in test-artifacts/<folder>/, once the app is quiet and the screen drawn."""
    (ARTIFACTS / folder).mkdir(parents=True, exist_ok=True)
    quiet(page)
    settle(wait)
    page.screenshot(path=str(ARTIFACTS / folder / f"{name}.png"), full_page=full_page)


def field(page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def rest(page) -> None:
    """Park the pointer on the app bar's title: a pointer left on a control opens its tooltip
    (which takes the focus) or, on a slider, makes Flutter web lay a full-screen overlay over
    the page that takes the next tap."""
    page.mouse.move(150, 25)


def into_view(locator) -> None:
    """Scroll a control into view and let Flutter's own scroll follow before a click: a click
    aimed while the view still moves lands on whatever slides under it (a tile's header).
    Flutter puts only what is near the screen into the page: further away, scroll the view
    (down, then up) until the control is there."""
    from playwright.sync_api import Error, TimeoutError

    page = locator.page
    with contextlib.suppress(TimeoutError):
        locator.wait_for(state="attached", timeout=5_000)  # the screen may still be coming
    for step in [300] * 8 + [-300] * 16:
        if locator.count():
            break
        page.mouse.move(206, 450)
        page.mouse.wheel(0, step)
        time.sleep(0.3)
    with contextlib.suppress(Error):  # re-rendered meanwhile: the click will wait
        box = locator.bounding_box(timeout=5_000)
        locator.scroll_into_view_if_needed(timeout=5_000)
        if box is None or box["y"] < 60 or box["y"] + box["height"] > 800:
            time.sleep(0.3)  # under the app bar or the bottom bar: a longer scroll
    time.sleep(0.3)


def reveal(page, role: str, name: str) -> None:
    """Scroll with the wheel until a control sits clear of the app bar and the bottom bar
    (Flutter web builds accessibility nodes only near the visible part of a scrolled screen,
    and a control under a bar is in the viewport yet cannot be tapped)."""
    target = page.get_by_role(role, name=name, exact=True)
    for step in [250] * 8 + [-250] * 16:
        box = target.first.bounding_box() if target.count() else None
        if box and box["y"] >= 90 and box["y"] + box["height"] <= 800:
            return
        page.mouse.move(200, 450)
        page.mouse.wheel(0, step if box is None or box["y"] > 90 else -250)
        settle(0.5)
    raise AssertionError(f"{role} {name!r} never came into view")


LOOK = """els => els.map(e => [e.getAttribute('aria-label'), e.getAttribute('aria-checked'),
    e.getAttribute('aria-selected'), e.textContent, e.value === undefined ? null : e.value])"""


def look(locator) -> list:
    """What a locator shows now: how many, and each one's name, state, text and value."""
    return locator.evaluate_all(LOOK)


def tap(
    page,
    role: str,
    name: str | re.Pattern,
    exact: bool = True,
    wait: bool = True,
    until: Any = None,
    attempts: int = 3,
) -> None:
    """Tap a control by its role and name, scrolled into view first.

    With `until` (a locator), the tap counts once that locator shows something else (appears,
    goes, is checked, says another text); a tap that changed nothing within 5 s, e.g. one
    that landed while a dialog was still sliding in, is made again.
    """
    target = page.get_by_role(role, name=name, exact=exact).first
    into_view(target)
    before = look(until) if until is not None else None
    for _attempt in range(attempts):
        target.click()
        rest(page)
        if until is None or changed(until, before, timeout=5):
            break
        if not target.count():
            raise AssertionError(f"{role} {name!r} went away and changed nothing")
    else:
        raise AssertionError(f"tapping {role} {name!r} {attempts} times changed nothing")
    if wait:
        time.sleep(0.4)  # the DOM updates when a transition starts; let the screen catch up


def changed(locator, before: list, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if look(locator) != before:
            return True
        time.sleep(0.1)
    return False


def type_into(page, box, text: str, attempts: int = 3) -> None:
    """Type into a field and wait until the app has heard the value.

    Under load Flutter web can tell the app a typed value after a tap that follows it, or
    miss input that arrives while it still moves focus to the field (the DOM shows the text,
    the app never hears of it): a tap on Opslaan then saves the field's earlier value. So the
    value frame is waited for, and the field typed into again when it never comes (or when
    the field no longer holds the text: Flutter may put a new field in its place meanwhile).
    """
    for _attempt in range(attempts):
        into_view(box)
        held = box.element_handle()  # a field with a hint is named "label hint" once focused
        # on its first line: a field's error text below it is a node of its own that would
        # take a tap aimed at the middle
        size = held.bounding_box()
        held.click(
            position={"x": size["width"] / 2, "y": min(size["height"] / 2, 28)} if size else None
        )
        since = sent_count(page)
        held.fill("")
        held.fill(text)
        if held.input_value() != text:  # under load Flutter replaced the field meanwhile
            continue
        if was_sent(page, text, since, timeout=5):
            rest(page)
            return
    raise AssertionError("the app was never told the typed value")


def type_in(page, label: str, text: str) -> None:
    """Type into the field with this label (see `type_into`)."""
    type_into(page, field(page, label), text)


def unlock(page) -> float:
    """Unlock with the passphrase; the seconds from the click to Vandaag."""
    from playwright.sync_api import TimeoutError

    type_in(page, "Wachtzin", PASSPHRASE)
    started = timed_tap(page, "button", "Ontgrendelen")
    vandaag = page.get_by_role("tab", name="Vandaag")
    try:
        return shown_after(vandaag, started, timeout=10)
    except TimeoutError:
        # Flutter web under load can drop a click (see `tap`): still on the lock screen with
        # nothing running, tap again. The figure then counts the lost click too.
        button = page.get_by_role("button", name="Ontgrendelen")
        if button.count() and button.first.is_enabled():
            button.first.click()
        return shown_after(vandaag, started, timeout=30)


def timed_tap(page, role: str, name: str, exact: bool = True) -> float:
    """Tap a control once it stands still and return the moment of the click: a figure
    measured from before the settling would count the test's own waiting."""
    target = page.get_by_role(role, name=name, exact=exact).first
    into_view(target)
    started = time.monotonic()
    target.click()
    return started


def shown_after(locator, started: float, timeout: float = 10) -> float:
    """Seconds from `started` until `locator` is visible. `wait_for` watches the page
    continuously; `expect` retries with growing pauses and would add them to the figure."""
    locator.first.wait_for(state="visible", timeout=timeout * 1000)
    return time.monotonic() - started


@contextlib.contextmanager
def seeded_app(browser, tmp_path: Path, name: str, seed, now=None, **app_options):
    """A vault filled in-process (fast KDF), the app started on it, unlocked in the browser;
    yields the page and what `seed(vault)` returned."""
    from app.services import open_vault

    data = tmp_path / name
    vault = open_vault(data, PASSPHRASE, create=True, kdf=FAST_KDF, now=now)
    seeded = seed(vault)
    vault.close()
    with unlocked_app(browser, data, tmp_path / f"{name}.log", **app_options) as page:
        yield page, seeded


@contextlib.contextmanager
def unlocked_app(browser, data: Path, log: Path, **app_options):
    """The app started on an existing vault and unlocked in a new page; stopped afterwards."""
    app = AppProcess(data, log, **app_options).start()
    try:
        page = open_page(browser, app.url)
        field(page, "Wachtzin").wait_for(timeout=60_000)
        unlock(page)
        yield page
    finally:
        app.stop()


def saved_vault(tmp_path: Path, name: str):
    """The vault a `seeded_app` ran on, opened again to check what the app saved."""
    from app.services import open_vault

    return open_vault(tmp_path / name, PASSPHRASE)
