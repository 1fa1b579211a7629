# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The users API end to end: controller -> consumer-app -> (Lattice DNS name) -> app-server -> DynamoDB (emulator)."""

from __future__ import annotations

import uuid

testinfra_hosts = ["ansible://lattice-consumer"]


def test_crud_through_the_consumer(api) -> None:
    status, created, headers = api.call("POST", "/users", {"name": "Kim Minji", "email": "minji@example.com", "age": 29})
    assert status == 201, created
    user_id = created["user_id"]
    assert headers["Location"].endswith(f"/users/{user_id}")

    status, listing, _ = api.call("GET", "/users")
    assert status == 200
    assert user_id in [item["user_id"] for item in listing["items"]]

    status, fetched, _ = api.call("GET", f"/users/{user_id}")
    assert (status, fetched["email"]) == (200, "minji@example.com")

    status, updated, _ = api.call("PUT", f"/users/{user_id}", {"age": 30})
    assert (status, updated["age"], updated["name"]) == (200, 30, "Kim Minji")

    status, _body, _ = api.call("DELETE", f"/users/{user_id}")
    assert status == 204

    status, missing, _ = api.call("GET", f"/users/{user_id}")
    assert status == 404, missing


def test_bad_payload_is_422_with_the_field(api) -> None:
    status, body, _ = api.call("POST", "/users", {"name": "Lee", "email": "not-an-email"})
    assert status == 422
    assert ["body", "email"] in [error["loc"] for error in body["detail"]]


def test_one_request_is_in_both_journals(api, consumer, app) -> None:
    """journalctl -u consumer-app and -u app-server, as the seed checks them, with the request id across both."""
    request_id = f"molecule-{uuid.uuid4().hex}"
    status, _body, headers = api.call("GET", "/users", request_id=request_id)
    assert status == 200
    assert headers["X-Request-ID"] == request_id
    for host, name in ((consumer, "consumer-app"), (app, "app-server")):
        journal = host.check_output("journalctl -u %s --no-pager -o cat --since -5min", name)
        assert request_id in journal, name
