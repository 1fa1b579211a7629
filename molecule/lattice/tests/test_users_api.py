# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The users API end to end: controller -> consumer-app -> (Lattice DNS name) -> app-server -> DynamoDB (emulator)."""

from __future__ import annotations

import uuid

testinfra_hosts = ["ansible://lattice-consumer"]


def test_crud_through_the_consumer(api) -> None:
    created = api.call("POST", "/users", {"name": "Kim Minji", "email": "minji@example.com", "age": 29})
    assert created.status == 201, created.body
    user_id = created.body["user_id"]
    assert created.headers["Location"].endswith(f"/users/{user_id}")

    listing = api.call("GET", "/users")
    assert listing.status == 200
    assert user_id in [item["user_id"] for item in listing.body["items"]]

    fetched = api.call("GET", f"/users/{user_id}")
    assert (fetched.status, fetched.body["email"]) == (200, "minji@example.com")

    updated = api.call("PUT", f"/users/{user_id}", {"age": 30})
    assert (updated.status, updated.body["age"], updated.body["name"]) == (200, 30, "Kim Minji")

    assert api.call("DELETE", f"/users/{user_id}").status == 204

    missing = api.call("GET", f"/users/{user_id}")
    assert missing.status == 404, missing.body


def test_bad_payload_is_422_with_the_field(api) -> None:
    refused = api.call("POST", "/users", {"name": "Lee", "email": "not-an-email"})
    assert refused.status == 422
    assert ["body", "email"] in [error["loc"] for error in refused.body["detail"]]


def test_one_request_is_in_both_journals(api, consumer, app) -> None:
    """journalctl -u consumer-app and -u app-server, as the seed checks them, with the request id across both."""
    request_id = f"molecule-{uuid.uuid4().hex}"
    answer = api.call("GET", "/users", request_id=request_id)
    assert answer.status == 200
    assert answer.headers["X-Request-ID"] == request_id
    for host, name in ((consumer, "consumer-app"), (app, "app-server")):
        journal = host.check_output(f"journalctl -u {name} --no-pager -o cat --since -5min")
        assert request_id in journal, name
