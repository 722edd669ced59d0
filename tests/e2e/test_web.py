"""`tubeboard serve`: the board in headless Chromium, through textual-serve, keys and all."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SHIPPED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")

# Without the networking flags Chromium keeps trying to reach Google, which this closed
# network refuses; as root it needs --no-sandbox.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(
    condition: object, seconds: float, what: str, pause: object = lambda: time.sleep(0.1)
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        pause()  # type: ignore[operator]
    raise AssertionError(f"{what}: not within {seconds} s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    catalogue = tmp_path / "catalog.toml"
    catalogue.write_bytes(SHIPPED.read_bytes())
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", str(catalogue), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_for(listening, 20, "the server listening")
        yield f"http://127.0.0.1:{port}", catalogue
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_it_listens_on_localhost_only_by_default(served: tuple[str, Path]) -> None:
    url, _ = served
    port = int(url.rsplit(":", 1)[1])
    # This machine's other addresses: the server must not answer on any of them.
    listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    addresses = [a for a in listed if not a.startswith("127.") and a != "::1"]
    if not addresses:
        pytest.skip("this machine has no address but loopback")
    for address in addresses:
        with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as probe:
            assert probe.connect_ex((address, port)) != 0, f"reachable on {address}"


def test_the_board_renders_in_a_browser_and_keys_reach_the_file(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    url, catalogue = served
    before = catalogue.read_text()
    received: list[bytes] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 640})
            page.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived",
                    lambda frame: received.append(
                        frame if isinstance(frame, bytes) else frame.encode()
                    ),
                ),
            )
            page.goto(url)

            def pause() -> None:
                page.wait_for_timeout(100)  # lets Playwright deliver the frames meanwhile

            # What the app sent the page's terminal: the board, with tube 1's name.
            wait_for(lambda: b"Witne" in b"".join(received), 30, "the board in the page", pause)
            wait_for(lambda: b"filled 32 of 43" in b"".join(received), 10, "the summary", pause)
            page.wait_for_timeout(500)
            page.screenshot(path=str(tmp_path / "board.png"))
            assert (tmp_path / "board.png").stat().st_size > 10_000  # a picture, not a blank
            # Keys typed in the browser go through the same lossless save.
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("d")
            wait_for(lambda: b"Delete tube 1" in b"".join(received), 10, "the y/n question", pause)
            page.keyboard.press("y")
            wait_for(lambda: catalogue.read_text() != before, 10, "the file written", pause)
        finally:
            browser.close()
    after = catalogue.read_text()
    assert 'name = "Witness tube 1"' in before and "Witness tube 1" not in after
    assert after.count("[[sample]]") == before.count("[[sample]]") - 1
