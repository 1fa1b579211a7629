# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bastion: sshd as it runs (sshd -T), alice admitted with her key and jumping on, bob gone, no passwords."""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import PORT, address

testinfra_hosts = ["ansible://lattice-bastion"]

SSHD = {
    "permitrootlogin": "no",
    "passwordauthentication": "no",
    "kbdinteractiveauthentication": "no",
    "pubkeyauthentication": "yes",
    "authenticationmethods": "publickey",
    "maxauthtries": "3",
    "allowgroups": "bastion-admins",
    "allowtcpforwarding": "local",
    "allowagentforwarding": "no",
    "allowstreamlocalforwarding": "no",
    "x11forwarding": "no",
    "permittunnel": "no",
    "gatewayports": "no",
    "loglevel": "VERBOSE",
}


@pytest.fixture(scope="module")
def key(ephemeral_directory: str) -> str:
    return os.path.join(ephemeral_directory, "alice_ed25519")


def ssh_command(host, key: str, user: str, *args: str, extra: tuple = ()) -> list[str]:
    """The controller's ssh client, straight to the bastion's port 22 (as from the admin network)."""
    return [
        "ssh", "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", *extra,
        f"{user}@{address(host)}", *args,
    ]  # fmt: skip


def ssh(host, key: str, user: str, *args: str, extra: tuple = ()) -> subprocess.CompletedProcess:
    command = ssh_command(host, key, user, *args, extra=extra)
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False)


def test_sshd_effective_configuration(host) -> None:
    lines = host.check_output("/usr/sbin/sshd -T").splitlines()
    effective = dict(line.split(" ", 1) for line in lines if " " in line)
    assert {keyword: effective.get(keyword) for keyword in SSHD} == SSHD


def test_alice_is_an_administrator_with_exactly_her_key(host, key: str) -> None:
    alice = host.user("alice")
    assert alice.exists
    assert "bastion-admins" in alice.groups
    keys = host.file("/home/alice/.ssh/authorized_keys")
    assert (keys.user, keys.mode) == ("alice", 0o600)
    with open(key + ".pub", encoding="ascii") as handle:
        assert keys.content_string.strip() == handle.read().strip()
    assert "NOPASSWD: ALL" in host.check_output("sudo -l -U alice")


def test_bob_has_left(host) -> None:
    assert not host.user("bob").exists
    assert not host.file("/home/bob").exists


def test_alice_logs_in_with_her_key(host, key: str) -> None:
    login = ssh(host, key, "alice", "id -un")
    assert login.returncode == 0, login.stderr
    assert login.stdout.decode().strip() == "alice"


def test_alice_jumps_on_to_the_consumer(host, key: str, consumer) -> None:
    """ssh -W is what ProxyJump runs on the bastion: a direct-tcpip channel to the next hop."""
    command = ssh_command(host, key, "alice", extra=("-W", f"{address(consumer)}:{PORT}"))
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as jump:
        # The request goes through, and stdin stays open until the answer (HTTP/1.0: the server closes) is read.
        jump.stdin.write(b"GET /health HTTP/1.0\r\nHost: consumer\r\n\r\n")
        jump.stdin.flush()
        answer = jump.stdout.read()
        jump.stdin.close()
        errors = jump.stderr.read()
        assert jump.wait(timeout=30) == 0, errors
    assert answer.startswith(b"HTTP/1.1 200"), (answer[:200], errors)


def test_passwords_and_other_users_are_refused(host, key: str) -> None:
    no_keys = ("-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive")
    password = ssh(host, key, "alice", "true", extra=no_keys)
    assert password.returncode == 255
    assert b"Permission denied (publickey)" in password.stderr
    for user in ("root", "bob"):
        refused = ssh(host, key, user, "true")
        assert refused.returncode == 255, user
        assert b"Permission denied" in refused.stderr, user
