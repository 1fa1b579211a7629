# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backend: health with its database check, stories CRUD in MariaDB, the database reachable from it only and
only over TLS that the backend verifies against the database's CA."""

from __future__ import annotations

import json
import shlex
import uuid

from conftest import address, call


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


# mysql2 from the installed API, as the API connects (rejectUnauthorized), as the API's user with a wrong password:
# the TLS handshake comes first, so the error says whether the server's certificate was accepted.
PROBE = """
const fs = require('fs');
const [host, user, bundle] = process.argv.slice(1);
const ca = bundle ? fs.readFileSync(bundle, 'utf8') : undefined;
require('mysql2/promise')
  .createConnection({ host, user, password: 'not-the-password', connectTimeout: 10000,
                      ssl: { ca, rejectUnauthorized: true } })
  .then(() => console.log('connected'), (error) => console.log(`${error.code}: ${error.message}`));
"""


def test_the_backend_reaches_the_database_over_tls_it_verifies(backend, database):
    # Like RDS with the data layer's parameter group, the database takes TLS connections only.
    required = database.run("mariadb -N -e 'SELECT @@require_secure_transport'")
    assert required.stdout.strip() == "1", required.stderr
    environment = dict(line.split("=", 1) for line in backend.file("/etc/backend/env").content_string.splitlines()
                       if "=" in line and not line.startswith("#"))
    bundle = environment["DB_SSL_CA"].strip("\"'")
    assert environment["DB_SSL"].strip("\"'") == "true"
    placed = backend.file(bundle)
    assert (placed.user, placed.mode) == ("root", 0o644)
    assert placed.content_string == database.file("/etc/mysql/tls/ca.pem").content_string

    host = address(database)
    user = environment["DB_USER"].strip("\"'")
    probe = f"cd /opt/backend && node -e {shlex.quote(PROBE)} {host} {shlex.quote(user)}"
    trusted = backend.run(f"{probe} {shlex.quote(bundle)}")
    assert trusted.stdout.startswith("ER_ACCESS_DENIED_ERROR:"), trusted.stdout + trusted.stderr
    # Node's own CAs do not sign the database's certificate: the handshake fails before any password is asked
    # (mysql2 reports HANDSHAKE_SSL_ERROR with Node's reason, such as "unable to verify the first certificate").
    untrusted = backend.run(f"{probe} ''").stdout.strip()
    assert untrusted.startswith("HANDSHAKE_SSL_ERROR:") and "certificate" in untrusted, untrusted
