"""`tubeboard serve`: the same app in a web browser, through textual-serve.

Each browser tab gets its own tubeboard process (started isolated: tui/launch.py), so the
saves, the lock and the live reload work as they do for two people in two terminals.

A port on this machine is reachable from every web page the user opens, so every request is
checked as Jupyter checks its own: the Host header must name the address served (a page from
another site that rebinds its DNS name to 127.0.0.1 is refused), and a WebSocket is opened only
from the served origin (another site's page cannot type into the app). Served on an address
other than loopback, the URL also carries a secret token.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attr

from tui.launch import isolated_problem, self_argv
from tui.plain import printable

TOKEN_COOKIE = "tubeboard_token"


def serve_command(path: Path, theme: str | None = None) -> str:
    """The shell command textual-serve starts for each browser tab."""
    argv = [*self_argv(), str(path.resolve())]
    if theme:
        argv += ["--theme", theme]
    return shlex.join(argv)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::", "[::]")


@attr.frozen
class Guard:
    """Who may use the server: which Host headers, which Origins, and the token, if any."""

    host: str
    port: int
    token: str | None

    @classmethod
    def for_address(cls, host: str, port: int) -> Guard:
        return cls(host, port, None if is_loopback(host) else secrets.token_urlsafe(24))

    def hosts(self) -> frozenset[str] | None:
        """The Host headers accepted; None for any (a wildcard address: the token guards)."""
        if _is_wildcard(self.host):
            return None
        names = {self.host}
        if is_loopback(self.host):
            names |= {"localhost", "127.0.0.1", "[::1]"}
        with_port = {f"{n}:{self.port}" for n in names}
        if self.port == 80:
            with_port |= names
        return frozenset(n.lower() for n in with_port)

    def refusal(
        self,
        host: str | None,
        origin: str | None,
        websocket: bool,
        token: str | None,
    ) -> str | None:
        """Why a request is refused, or None to let it through. `token` is the one it
        carries (in its URL or its cookie)."""
        allowed = self.hosts()
        if not host or (allowed is not None and host.lower() not in allowed):
            return "this server answers only to the address it was started on"
        if websocket and not _same_origin(origin, host):
            return "a WebSocket is accepted only from the page this server serves"
        if self.token is not None and not (token and hmac.compare_digest(token, self.token)):
            return "this server needs the token printed when it started (in the URL)"
        return None

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        shown = "127.0.0.1" if _is_wildcard(self.host) else host
        query = f"/?token={self.token}" if self.token else ""
        return f"http://{shown}:{self.port}{query}"


def _same_origin(origin: str | None, host: str) -> bool:
    if not origin:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def _server_class(guard: Guard) -> Any:
    """textual-serve's Server with the guard in front of every request."""
    from aiohttp import web
    from textual_serve.server import Server

    from tui.textual_compat import with_middleware

    Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        carried = request.query.get("token") or request.cookies.get(TOKEN_COOKIE)
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        refused = guard.refusal(
            request.headers.get("Host"), request.headers.get("Origin"), websocket, carried
        )
        if refused is not None:
            return web.Response(status=403, text=f"tubeboard serve: {refused}\n")
        response = await handler(request)
        if guard.token is not None and request.query.get("token"):
            # The page's own WebSocket carries the token as a cookie, as Jupyter's does.
            response.set_cookie(TOKEN_COOKIE, guard.token, httponly=True, samesite="Strict")
        return response

    class GuardedServer(with_middleware(Server, check)):  # type: ignore[misc]
        async def on_startup(self, app: web.Application) -> None:
            print(f"tubeboard serve: open {guard.url()}", flush=True)
            if guard.token is not None:
                print(
                    "tubeboard serve: anyone who has this URL can edit the catalogue; "
                    "keep it to yourself",
                    flush=True,
                )
            print("Press Ctrl+C to quit", flush=True)

    return GuardedServer


def serve(path: Path, host: str, port: int, theme: str | None = None) -> int:
    guard = Guard.for_address(host, port)
    try:
        server_class = _server_class(guard)
    except ImportError:
        print(
            "tubeboard serve: web mode needs textual-serve. Add it where tubeboard is "
            "installed: in a checkout, pip install '.[web]'; installed with pipx, "
            "pipx inject tubeboard textual-serve; otherwise pip install textual-serve",
            file=sys.stderr,
        )
        return 2
    problem = isolated_problem()
    if problem is not None:
        print(
            f"tubeboard serve: {printable(problem)}: each browser tab starts tubeboard "
            "isolated from the current folder, so it must be installed (pip install .)",
            file=sys.stderr,
        )
        return 2
    server = server_class(
        serve_command(path, theme),
        host=host,
        port=port,
        title=f"tubeboard: {printable(str(path))}",
        public_url=guard.url().split("/?", 1)[0],
    )
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not ours
        print(f"tubeboard serve: cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 2
    return 0
