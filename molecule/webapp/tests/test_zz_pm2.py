# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PM2: units, users, files, and data that survives pm2 restart, a restart of the unit and pm2 resurrect."""

from __future__ import annotations

import json
import uuid

import pytest
from conftest import call, wait_healthy

APPS = {"webapp-frontend": "frontend", "webapp-backend": "backend"}


def pm2(test_host, user: str, *args: str):
    """pm2 as the app's user, as the role runs it."""
    command = " ".join(args)
    return test_host.run(
        f"runuser -u {user} -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/var/lib/pm2/{user} "
        f"PM2_HOME=/var/lib/pm2/{user} pm2 {command}"
    )


def processes(test_host, user: str) -> list[dict]:
    answer = pm2(test_host, user, "jlist")
    assert answer.rc == 0
    return json.loads(answer.stdout)


@pytest.mark.parametrize("name", APPS)
def test_each_app_runs_under_its_own_pm2_unit_as_its_user(request, name):
    test_host = request.getfixturevalue(APPS[name])
    user = APPS[name]
    unit = test_host.service(f"pm2-{user}")
    assert unit.is_enabled and unit.is_running
    listed = processes(test_host, user)
    assert [p["name"] for p in listed] == [user]
    assert all(p["pm2_env"]["status"] == "online" and p["pm2_env"]["exec_mode"] == "cluster_mode" for p in listed)
    for process in listed:
        assert test_host.check_output(f"ps -o user= -p {process['pid']}").strip() == user
    assert test_host.file(f"/etc/{user}/env").mode == 0o600
    assert test_host.file(f"/etc/{user}/env").user == user
    assert test_host.file(f"/var/lib/pm2/{user}").mode == 0o700
    assert test_host.file(f"/etc/pm2/{user}/ecosystem.config.js").mode == 0o640
    assert test_host.file(f"/opt/{user}").user == "root"
    assert test_host.file(f"/var/log/pm2/{user}/{user}-out.log").exists
    assert test_host.run(f"logrotate --debug /etc/logrotate.d/pm2-{user}").rc == 0


def test_data_survives_pm2_restart_and_a_restart_of_the_unit(backend, api):
    title = f"kept {uuid.uuid4().hex}"
    story = call(api + "/api/stories", "POST", {"title": title, "body": "Kept across restarts."}).body["id"]

    assert pm2(backend, "backend", "restart", "backend").rc == 0
    assert wait_healthy(api + "/api/health").status == 200
    assert call(api + f"/api/stories/{story}").body["title"] == title

    assert backend.run("systemctl restart pm2-backend.service").rc == 0
    assert wait_healthy(api + "/api/health").status == 200
    assert call(api + f"/api/stories/{story}").body["title"] == title
    call(api + f"/api/stories/{story}", "DELETE")


def test_pm2_resurrect_brings_back_what_was_saved(backend, api):
    saved = json.loads(backend.file("/var/lib/pm2/backend/dump.pm2").content_string)
    assert pm2(backend, "backend", "kill").rc == 0
    assert backend.run("systemctl restart pm2-backend.service").rc == 0  # its ExecStart is pm2 resurrect
    assert wait_healthy(api + "/api/health").status == 200
    running = processes(backend, "backend")
    assert sorted(p["name"] for p in running) == sorted(p["name"] for p in saved)
    assert all(p["pm2_env"]["status"] == "online" for p in running)
