"""Over an SSH login, as the scientists use it: a private sshd on loopback, tmux at 80x24."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_tmux import TUBEBOARD, Terminal

SSHD = Path("/usr/sbin/sshd")

pytestmark = pytest.mark.skipif(
    not SSHD.exists()
    or shutil.which("tmux") is None
    or os.geteuid() != 0
    or not TUBEBOARD.exists(),
    reason="needs openssh-server, tmux, root (to run a private sshd) and the installed command",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    keys = tmp_path / "keys"
    keys.mkdir()
    for name in ("host", "client"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True
        )
    (keys / "authorized_keys").write_text((keys / "client.pub").read_text())
    port = free_port()
    config = tmp_path / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host'}\n"
        f"AuthorizedKeysFile {keys / 'authorized_keys'}\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nStrictModes no\n"
        f"UsePAM no\nPidFile {tmp_path / 'sshd.pid'}\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation folder
    server = subprocess.Popen(
        [str(SSHD), "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield port, keys / "client"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_add_a_sample_over_ssh(sshd: tuple[int, Path], tmp_path: Path) -> None:
    port, key = sshd
    path = tmp_path / "catalog.toml"
    original = '[board]\ntubes = 4\n\n[[sample]]\ntube = 1\nname = "Alpha"\nkind = "witness"\n'
    path.write_text(original)
    remote = f"cd {tmp_path} && TERM=xterm-256color {TUBEBOARD} catalog.toml"
    ssh = (
        f"ssh -tt -i {key} -p {port} -o StrictHostKeyChecking=no "
        f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1 '{remote}'"
    )
    session = f"tubeboard-ssh-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", ssh], check=True
    )
    term = Terminal(session)
    try:
        term.wait_for("filled 1 of 4", timeout=30)
        term.keys("a")
        term.wait_for("Add a sample")
        term.type("Over SSH")
        term.keys("C-s")
        term.wait_for("Added tube 2")
        term.keys("q")
        deadline = time.monotonic() + 15
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    assert (
        path.read_text()
        == original + '\n[[sample]]\ntube = 2\nname = "Over SSH"\nkind = "rock-core"\n'
    )
