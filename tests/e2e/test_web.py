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
from tests.e2e.test_git_boundary import plant

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


def start_server(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[bytes], int]:
    """`tubeboard serve` started in a folder where someone planted a tui/ and a tui.py: each
    tab's app must be tubeboard's own (the planted ones leave PLANTED-RAN behind)."""
    plant(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-I", "-m", "tui", "serve", "catalog.toml", "--port", str(port), *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return server, port


def wait_listening(port: int) -> None:
    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_for(listening, 20, "the server listening")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    catalogue = tmp_path / "catalog.toml"
    catalogue.write_bytes(SHIPPED.read_bytes())
    server, port = start_server(tmp_path)
    try:
        wait_listening(port)
        yield f"http://127.0.0.1:{port}", catalogue
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert not (tmp_path / "PLANTED-RAN").exists(), "code from the serving folder ran"


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


# Issue 22, part 2: other sites must not drive the server ---------------------------------------


def raw_get(port: int, host: str, origin: str | None = None, websocket: bool = False) -> int:
    """The status line's code for a GET of `/` (or an upgrade of `/ws`) sent as raw bytes."""
    lines = [f"GET {'/ws' if websocket else '/'} HTTP/1.1", f"Host: {host}"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    if websocket:
        lines += [
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
        ]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status = conn.recv(4096).split(b"\r\n", 1)[0]
    return int(status.split()[1])


def test_requests_for_another_host_or_from_another_origin_are_refused(
    served: tuple[str, Path],
) -> None:
    url, _ = served
    port = int(url.rsplit(":", 1)[1])
    here = f"127.0.0.1:{port}"
    assert raw_get(port, here) == 200
    assert raw_get(port, f"localhost:{port}") == 200
    assert raw_get(port, "attacker.example") == 403  # DNS rebinding
    assert raw_get(port, f"attacker.example:{port}") == 403
    assert raw_get(port, here, f"http://{here}", websocket=True) == 101
    assert raw_get(port, here, f"http://127.0.0.1:{port + 1}", websocket=True) == 403
    assert raw_get(port, here, "https://attacker.example", websocket=True) == 403
    assert raw_get(port, here, None, websocket=True) == 403
    assert raw_get(port, here, "null", websocket=True) == 403


def test_a_page_from_another_origin_cannot_type_into_the_app(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    """The attack as a browser makes it: a page on another port of localhost opens the app's
    WebSocket, sends `d` and `y`. The file must not change."""
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    url, catalogue = served
    before = catalogue.read_bytes()
    ws_url = url.replace("http://", "ws://") + "/ws?width=80&height=24"
    (tmp_path / "evil").mkdir()
    (tmp_path / "evil" / "index.html").write_text(
        "<script>\n"
        f"const ws = new WebSocket({ws_url!r});\n"
        "ws.onopen = () => { document.title = 'open';\n"
        "  setTimeout(() => ws.send(JSON.stringify(['stdin', 'd'])), 1500);\n"
        "  setTimeout(() => ws.send(JSON.stringify(['stdin', 'y'])), 2500); };\n"
        "ws.onclose = () => { document.title = 'refused'; };\n"
        "</script>\n"
    )
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(tmp_path / "evil"), **k
    )
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{evil.server_address[1]}/index.html")
                page.wait_for_function("document.title !== ''", timeout=15_000)
                page.wait_for_timeout(3500)
                title = page.title()
            finally:
                browser.close()
    finally:
        evil.shutdown()
    assert title == "refused"
    assert catalogue.read_bytes() == before


def test_on_another_address_the_url_needs_the_token(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalog.toml"
    catalogue.write_bytes(SHIPPED.read_bytes())
    server, port = start_server(tmp_path, "--host", "0.0.0.0")
    lines: list[str] = []
    try:
        assert server.stdout is not None
        while not any("token=" in line for line in lines):
            lines.append(server.stdout.readline().decode())
            assert len(lines) < 50, lines
        token = next(line for line in lines if "token=" in line).split("token=")[1].strip()
        lines.append(server.stdout.readline().decode())
        assert any("anyone who has this URL can edit" in line for line in lines), lines
        wait_listening(port)
        here = f"127.0.0.1:{port}"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(f"GET /?token={token} HTTP/1.1\r\nHost: {here}\r\n\r\n".encode())
            answer = conn.recv(8192).decode("latin-1")
        assert answer.startswith("HTTP/1.1 200") and f"tubeboard_token={token}" in answer
        assert raw_get(port, here) == 403  # no token
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(f"GET /?token=x{token} HTTP/1.1\r\nHost: {here}\r\n\r\n".encode())
            assert conn.recv(4096).startswith(b"HTTP/1.1 403")
    finally:
        server.terminate()
        server.wait(timeout=10)
