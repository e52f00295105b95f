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


def open_page(browser, url: str, **context_options):
    """A phone-sized page on the app, semantics on; only loopback traffic is allowed."""
    options = {"viewport": {"width": 412, "height": 915}, "device_scale_factor": 1}
    context = browser.new_context(**{**options, **context_options})
    context.route(
        re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda route: route.abort()
    )
    page = context.new_page()
    SENT[page] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: SENT[page].append(frame)))
    page.goto(url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    return page


SENT: dict = {}  # page -> frames the Flet client sent to the app, in order


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


def tap_until_sent(page, target, attempts: int = 3) -> None:
    """Tap and wait until the app has heard the tap.

    A tap that lands while Flutter still animates a dialog in can be swallowed (seen on a
    loaded machine: "Morgen" tapped, the dialog stayed open). The app handles one tap per
    click frame, so the tap is repeated only when no click frame was sent at all.
    """
    for _attempt in range(attempts):
        since = sent_count(page)
        target.click()
        if was_heard(page, b"\xa5click", since, timeout=5):
            return
    raise AssertionError("the app was never told of the tap")


def was_heard(page, needle: bytes, since: int, timeout: float) -> bool:
    """Whether a frame holding `needle` went to the app within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(isinstance(f, bytes) and needle in f for f in SENT[page][since:]):
            return True
        page.wait_for_timeout(30)  # lets Playwright deliver the frame events
    return False


def fill_until_sent(page, box, text: str, attempts: int = 3) -> None:
    """Type into a field and wait until the app has heard the value.

    Under load Flutter web can tell the app a typed value after a tap that follows it, or
    miss input that arrives while it still moves focus to the field: a tap on Ontgrendelen
    then unlocks with the field's earlier value. So the value frame is waited for, and the
    field typed into again when it never comes.
    """
    for _attempt in range(attempts):
        box.click()
        since = sent_count(page)
        box.fill("")
        box.fill(text)
        if was_sent(page, text, since, timeout=5):
            return
    raise AssertionError("the app was never told the typed value")
