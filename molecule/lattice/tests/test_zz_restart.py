# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""systemd brings a killed app-server back (Restart=on-failure), and the CRUD path works again.

Named to run last: it takes the app down for a moment.
"""

from __future__ import annotations

import time

testinfra_hosts = ["ansible://lattice-app"]


def show(host, *properties: str) -> dict[str, str]:
    output = host.check_output(f"systemctl show app-server --property={','.join(properties)}")
    return dict(line.split("=", 1) for line in output.splitlines())


def test_killed_app_server_is_restarted(host, api) -> None:
    before = show(host, "MainPID", "NRestarts")
    host.check_output("systemctl kill --signal=KILL --kill-whom=main app-server")

    deadline = time.monotonic() + 60
    while True:
        now = show(host, "MainPID", "NRestarts", "ActiveState")
        if now["ActiveState"] == "active" and now["MainPID"] not in ("0", before["MainPID"]):
            break
        assert time.monotonic() < deadline, f"app-server did not come back: {now}"
        time.sleep(0.5)
    assert int(now["NRestarts"]) == int(before["NRestarts"]) + 1
    assert "status=9/KILL" in host.check_output("journalctl -u app-server --no-pager -o cat --since -5min")

    # The new process needs a moment to bind; the consumer answers 502 until it has.
    deadline = time.monotonic() + 60
    while True:
        created = api.call("POST", "/users", {"name": "After Restart", "email": "again@example.com"})
        if created.status == 201:
            break
        assert time.monotonic() < deadline, f"the CRUD path did not recover: {created.status} {created.body}"
        time.sleep(1)
    assert api.call("DELETE", f"/users/{created.body['user_id']}").status == 204
