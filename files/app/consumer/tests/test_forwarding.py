# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every endpoint of the consumer, forwarded for real to the app service running on a loopback port."""

import uuid

import pytest


def new_id() -> str:
    return f"user-{uuid.uuid4().hex[:12]}"


def test_root_describes_the_consumer_and_its_upstream(consumer, app_service):
    answer = consumer.get("/")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["service"], body["upstream_url"]) == ("consumer-app", app_service.url)
    assert body["upstream"]["status"] == "ok"
    assert body["upstream"]["body"]["service"] == "app-server"


def test_health_reports_the_app_service_and_its_table(consumer):
    answer = consumer.get("/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["upstream"]["status"] == "ok"
    assert body["upstream"]["body"]["dynamodb"]["table_status"] == "ACTIVE"
    assert consumer.get("/health/upstream").status_code == 200


def test_crud_round_trip_through_the_consumer(consumer):
    user_id = new_id()
    created = consumer.post(
        "/users", json={"user_id": user_id, "name": "Alice", "email": "alice@example.com", "age": 34}
    )
    assert created.status_code == 201
    assert created.headers["location"] == f"/users/{user_id}"
    assert created.headers["content-type"] == "application/json"
    user = created.json()
    assert consumer.get(f"/users/{user_id}").json() == user

    updated = consumer.put(f"/users/{user_id}", json={"name": "Alice B."})
    assert updated.status_code == 200
    assert updated.json()["name"] == "Alice B."
    assert user_id in {item["user_id"] for item in consumer.get("/users").json()["items"]}

    deleted = consumer.delete(f"/users/{user_id}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert "content-type" not in deleted.headers


def test_created_user_without_id_gets_one_from_the_app(consumer):
    answer = consumer.post("/users", json={"name": "Bob", "email": "bob@example.com"})
    assert answer.status_code == 201
    assert uuid.UUID(answer.json()["user_id"])


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_missing_user_404_passes_through_with_the_apps_body(consumer, method):
    answer = consumer.request(method, "/users/nobody-here", json={"name": "X"} if method == "PUT" else None)
    assert answer.status_code == 404
    assert answer.json() == {"detail": "user 'nobody-here' not found"}


def test_conflict_409_passes_through(consumer):
    user = {"user_id": new_id(), "name": "Carol", "email": "carol@example.com"}
    assert consumer.post("/users", json=user).status_code == 201
    again = consumer.post("/users", json=user)
    assert again.status_code == 409
    assert again.json() == {"detail": f"user {user['user_id']!r} already exists"}


def test_validation_422_passes_through_naming_the_field(consumer):
    answer = consumer.post("/users", json={"name": "Dave", "email": "not-an-email"})
    assert answer.status_code == 422
    assert [error["loc"] for error in answer.json()["detail"]] == [["body", "email"]]
    answer = consumer.put(f"/users/{new_id()}", json={"age": -5})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "age"]


def test_paging_parameters_reach_the_app(consumer):
    ids = {new_id() for _n in range(5)}
    for user_id in ids:
        assert (
            consumer.post("/users", json={"user_id": user_id, "name": "P", "email": "p@example.com"}).status_code == 201
        )
    seen, token = [], None
    while True:
        page = consumer.get("/users", params={"limit": 2, **({"next_token": token} if token else {})}).json()
        assert page["count"] <= 2
        seen.extend(user["user_id"] for user in page["items"])
        token = page["next_token"]
        if token is None:
            break
    assert ids <= set(seen)
    assert len(seen) == len(set(seen))
    assert consumer.get("/users", params={"limit": 0}).status_code == 422
    assert consumer.get("/users", params={"next_token": "%%%"}).status_code == 400


def test_request_id_reaches_the_app_and_its_log(consumer, app_service):
    user_id = new_id()
    answer = consumer.get(f"/users/{user_id}", headers={"X-Request-ID": f"trace-{user_id}"})
    assert answer.headers["x-request-id"] == f"trace-{user_id}"
    logged = [line for line in app_service.log_lines() if line.get("request_id") == f"trace-{user_id}"]
    assert [(line["method"], line["path"], line["status"]) for line in logged] == [("GET", f"/users/{user_id}", 404)]
