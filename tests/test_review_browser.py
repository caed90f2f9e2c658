"""review.html in a real headless Chromium: click through the decisions, download them, publish with them.

Driven over the DevTools protocol with a small websocket client, so the clicks are real mouse events and
the download is the browser's own. Skipped, with the reason, where Chromium or `websockets` is missing.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from render_fixtures import make_reports, make_summary

from schemas.decisions import Decisions
from schemas.summary import ProvincialSummary
from tonghop.publish import publish_round
from tonghop.render import write_outputs
from tonghop.render.view import Round
from tonghop.settings import Settings

pytestmark = pytest.mark.slow

INJECTION = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
EDITED = "Phần lớn văn bản của phường Cửa Lò được soạn với sự hỗ trợ của AI"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("không có Chromium trên máy này; trang rà soát chỉ được kiểm tra bằng html.parser")


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands with replies, and the events seen meanwhile."""

    def __init__(self, url: str) -> None:
        try:
            from websockets.sync.client import connect
        except ImportError:
            pytest.skip("thiếu gói websockets để điều khiển Chromium")
        self._socket = connect(url, max_size=None, open_timeout=20)
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self._ids)
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv(timeout=30))
            if message.get("id") == message_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15) -> Any:
        deadline = time.monotonic() + timeout
        guarded = f"(() => {{ try {{ return {expression}; }} catch (e) {{ return false; }} }})()"
        while time.monotonic() < deadline:
            value = self.evaluate(guarded)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {expression}")

    def click(self, selector: str) -> None:
        """A real mouse click at the centre of the element, after scrolling it into view."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return null; e.scrollIntoView({block: 'center'});"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        assert box, f"no element {selector}"
        x, y = box
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def close(self) -> None:
        self._socket.close()


@contextlib.contextmanager
def chromium(profile: Path) -> Iterator[int]:
    process = subprocess.Popen(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            assert process.poll() is None, "Chromium exited at start"
            assert time.monotonic() < deadline, "Chromium did not open its DevTools port"
            time.sleep(0.05)
        yield int(port_file.read_text().splitlines()[0])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:  # the local DevTools endpoint
        return json.loads(response.read())


@pytest.fixture
def round_settings(make_settings: Callable[..., Any]) -> Settings:
    settings: Settings = make_settings()
    reports = make_reports()
    summary: ProvincialSummary = make_summary(reports)
    theme = summary.sections["proposals"][0]
    hostile = theme.sentences[0].model_copy(update={"id": "proposals-1-3", "text": INJECTION})
    summary.sections["proposals"][0] = theme.model_copy(update={"sentences": [*theme.sentences, hostile]})
    write_outputs(Round.build(settings, reports, summary), settings.round_dir)
    return settings


def test_analyst_clicks_through_the_page_and_the_decisions_publish(
    tmp_path: Path, round_settings: Settings
) -> None:
    page_url = (round_settings.round_dir / "review.html").resolve().as_uri()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(tmp_path / "profile") as port:
        base = f"http://127.0.0.1:{port}"
        browser = DevTools(_json(f"{base}/json/version")["webSocketDebuggerUrl"])
        browser.send("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
        target = next(t for t in _json(f"{base}/json/list") if t["type"] == "page")
        tab = DevTools(target["webSocketDebuggerUrl"])
        try:
            tab.send("Runtime.enable")
            tab.send("Page.enable")
            tab.send("Page.navigate", url=page_url)
            tab.wait_for("document.documentElement.dataset.ready === 'true'")

            # Nothing a commune wrote ran as code, and the page's own script ran without error.
            assert tab.evaluate("window.__pwned === undefined")
            assert tab.evaluate("document.getElementById('count-open').textContent") == "2"
            shown = tab.evaluate("document.querySelector('[data-id=\"proposals-1-3\"] .text').textContent")
            assert shown == INJECTION

            # A source paragraph opens on click.
            tab.click('[data-id="results-1-2"] details.citation summary')
            assert tab.evaluate("document.querySelector('[data-id=\"results-1-2\"] details.citation').open")

            # Edit one statement, reject another, accept a third.
            tab.click('[data-id="results-1-3"] button[data-action="edit"]')
            tab.wait_for("!document.querySelector('[data-id=\"results-1-3\"] .editor').hidden")
            tab.evaluate("document.querySelector('[data-id=\"results-1-3\"] textarea').select()")
            tab.send("Input.insertText", text=EDITED)
            tab.click('[data-id="results-1-3"] button[data-action="save"]')
            tab.click('[data-id="results-3-3"] button[data-action="reject"]')
            tab.click('[data-id="results-1-1"] button[data-action="accept"]')
            tab.click('[data-id="proposals-1-3"] button[data-action="reject"]')
            assert tab.evaluate("document.getElementById('count-open').textContent") == "0"
            assert (
                tab.evaluate("document.querySelector('[data-id=\"results-1-3\"] .state').textContent")
                == "Đã sửa"
            )

            # The decisions survive a reload (kept in the browser's storage for this file).
            tab.send("Page.reload")
            tab.wait_for("document.documentElement.dataset.ready === 'true'")
            assert tab.evaluate("document.getElementById('count-reject').textContent") == "2"

            tab.click("#reviewer")
            tab.send("Input.insertText", text="Nguyễn Thị B")
            tab.click("#download")
            target_file = downloads / "quyet-dinh-2026-H1.json"
            deadline = time.monotonic() + 20
            while not target_file.is_file():
                assert time.monotonic() < deadline, f"no download in {list(downloads.iterdir())}"
                time.sleep(0.05)
            exceptions = [e for e in tab.events if e.get("method") == "Runtime.exceptionThrown"]
            assert exceptions == []
        finally:
            tab.close()
            browser.close()

    decisions = Decisions.model_validate_json(target_file.read_bytes())
    assert decisions.round == "2026-H1" and decisions.reviewer == "Nguyễn Thị B"
    assert decisions.summary_generated_at is not None
    by_id = {d.sentence_id: d for d in decisions.decisions}
    assert set(by_id) == {"results-1-3", "results-3-3", "results-1-1", "proposals-1-3"}
    assert by_id["results-1-3"].action == "edit" and by_id["results-1-3"].text == EDITED
    assert by_id["results-1-3"].original_text == "Khoảng 80% văn bản được soạn với sự hỗ trợ của AI"
    assert by_id["results-3-3"].action == "reject"
    assert by_id["results-1-1"].action == "accept"

    result = publish_round(round_settings, decisions_path=target_file)
    assert not result.forced and result.unverified_left == []
    events = [c.event for c in result.changes]
    assert events.count("reject") == 2 and events.count("edit") == 1 and events.count("accept") == 1
