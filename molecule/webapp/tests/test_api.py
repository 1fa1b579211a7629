# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backend: health with its database check, stories CRUD in MariaDB, the database reachable from it only."""

from __future__ import annotations

import json
import uuid

from conftest import call


def test_health_checks_the_database(api):
    answer = call(api + "/api/health")
    assert answer.status == 200
    assert "database" in json.dumps(answer.body)


def test_stories_crud(api):
    title = f"molecule {uuid.uuid4().hex}"
    created = call(api + "/api/stories", "POST", {"title": title, "body": "Written by the molecule verify step."})
    assert created.status == 201, created.raw
    story = created.body["id"]
    assert call(api + f"/api/stories/{story}").body["title"] == title
    assert any(item["id"] == story for item in call(api + "/api/stories").body["items"])
    updated = call(api + f"/api/stories/{story}", "PATCH", {"title": title + " (edited)"})
    assert updated.status == 200 and updated.body["title"] == title + " (edited)"
    assert call(api + f"/api/stories/{story}", "DELETE").status in (200, 204)
    assert call(api + f"/api/stories/{story}").status == 404


def test_the_database_refuses_every_host_but_the_backend(frontend, database):
    # MariaDB answers a host without any account with error 1130 in its first packet.
    probe = (
        "import socket; s = socket.create_connection(('%s', 3306), 5); print(s.recv(512))"
        % next(a for a in database.interface("eth0").addresses if ":" not in a)
    )
    answer = frontend.run(f'python3 -c "{probe}"')
    assert answer.rc == 0
    assert "is not allowed to connect" in answer.stdout
