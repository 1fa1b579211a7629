# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CRUD on the users table through the HTTP API, DynamoDB played by moto."""

import uuid
from collections.abc import Iterator

import boto3
import pytest
from fastapi.testclient import TestClient
from moto import mock_aws

from conftest import REGION, TABLE, create_users_table
from main import create_app

ALICE = {"name": "Alice", "email": "alice@example.com", "age": 34}


@pytest.fixture(scope="module")
def started() -> Iterator[tuple[object, TestClient]]:
    """One moto and one started app for the whole module: starting them per test costs most of the run."""
    with mock_aws(), TestClient(create_app()) as client:
        yield boto3.client("dynamodb", region_name=REGION), client


@pytest.fixture
def dynamodb(started) -> Iterator[object]:
    """The module's moto, holding a users table that starts empty for each test."""
    create_users_table(started[0])
    yield started[0]
    started[0].delete_table(TableName=TABLE)


@pytest.fixture
def client(dynamodb, started) -> TestClient:
    """The module's app, serving that table."""
    return started[1]


def test_root_names_the_service_and_its_table(client):
    answer = client.get("/")
    assert answer.status_code == 200
    assert answer.json() == {"service": "app-server", "version": "1.0.0", "table": TABLE}


def test_created_user_gets_a_uuid_and_timestamps_and_reads_back(client):
    created = client.post("/users", json=ALICE)
    assert created.status_code == 201
    user = created.json()
    assert uuid.UUID(user["user_id"]).version == 4
    assert {key: user[key] for key in ALICE} == ALICE
    assert user["created_at"] == user["updated_at"]
    assert created.headers["location"] == f"/users/{user['user_id']}"
    assert client.get(f"/users/{user['user_id']}").json() == user


def test_created_user_is_stored_as_typed_attributes(client, dynamodb):
    client.post("/users", json={**ALICE, "user_id": "alice"})
    item = dynamodb.get_item(TableName=TABLE, Key={"user_id": {"S": "alice"}})["Item"]
    assert item["age"] == {"N": "34"}
    assert item["email"] == {"S": "alice@example.com"}
    assert set(item) == {"user_id", "name", "email", "age", "created_at", "updated_at"}


def test_user_without_age_reads_back_with_null_age(client):
    user = client.post("/users", json={"name": "Bob", "email": "bob@example.com"}).json()
    assert user["age"] is None
    assert client.get(f"/users/{user['user_id']}").json()["age"] is None


def test_taken_id_conflicts_and_keeps_the_first_user(client):
    assert client.post("/users", json={**ALICE, "user_id": "alice"}).status_code == 201
    again = client.post("/users", json={"user_id": "alice", "name": "Mallory", "email": "m@example.com"})
    assert again.status_code == 409
    assert "alice" in again.json()["detail"]
    assert client.get("/users/alice").json()["name"] == "Alice"


def test_missing_user_is_404(client):
    answer = client.get("/users/nobody")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "user 'nobody' not found"}


def test_update_changes_only_the_given_fields(client):
    user = client.post("/users", json={**ALICE, "user_id": "alice"}).json()
    answer = client.put("/users/alice", json={"email": "alice@example.org"})
    assert answer.status_code == 200
    updated = answer.json()
    assert updated["email"] == "alice@example.org"
    assert (updated["name"], updated["age"], updated["created_at"]) == ("Alice", 34, user["created_at"])
    assert updated["updated_at"] > user["updated_at"]
    assert client.get("/users/alice").json() == updated


def test_update_with_null_age_clears_it(client, dynamodb):
    client.post("/users", json={**ALICE, "user_id": "alice"})
    assert client.put("/users/alice", json={"age": None}).json()["age"] is None
    assert "age" not in dynamodb.get_item(TableName=TABLE, Key={"user_id": {"S": "alice"}})["Item"]


def test_update_of_missing_user_is_404_and_creates_nothing(client, dynamodb):
    answer = client.put("/users/ghost", json={"name": "Ghost"})
    assert answer.status_code == 404
    assert "Item" not in dynamodb.get_item(TableName=TABLE, Key={"user_id": {"S": "ghost"}})


def test_delete_answers_204_then_the_user_is_gone(client):
    client.post("/users", json={**ALICE, "user_id": "alice"})
    answer = client.delete("/users/alice")
    assert answer.status_code == 204
    assert answer.content == b""
    assert client.get("/users/alice").status_code == 404
    assert client.delete("/users/alice").status_code == 404


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"email": "a@example.com"}, "name"),
        ({"name": "", "email": "a@example.com"}, "name"),
        ({"name": "   ", "email": "a@example.com"}, "name"),
        ({"name": "x" * 101, "email": "a@example.com"}, "name"),
        ({"name": "A"}, "email"),
        ({"name": "A", "email": "not-an-email"}, "email"),
        ({"name": "A", "email": "a@"}, "email"),
        ({"name": "A", "email": "a@example.com", "age": -1}, "age"),
        ({"name": "A", "email": "a@example.com", "age": 151}, "age"),
        ({"name": "A", "email": "a@example.com", "age": "30"}, "age"),
        ({"name": "A", "email": "a@example.com", "age": 30.5}, "age"),
        ({"name": "A", "email": "a@example.com", "user_id": "has space"}, "user_id"),
        ({"name": "A", "email": "a@example.com", "created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ],
)
def test_invalid_new_user_is_422_naming_the_field(client, payload, field):
    answer = client.post("/users", json=payload)
    assert answer.status_code == 422
    assert [error["loc"] for error in answer.json()["detail"]] == [["body", field]]


def test_names_of_100_characters_and_ages_at_the_bounds_are_accepted(client):
    for age in (0, 150):
        assert client.post("/users", json={"name": "x" * 100, "email": "a@example.com", "age": age}).status_code == 201


@pytest.mark.parametrize(
    "payload, loc",
    [
        ({}, ["body"]),
        ({"name": None}, ["body", "name"]),
        ({"email": None}, ["body", "email"]),
        ({"email": "nope"}, ["body", "email"]),
        ({"age": 200}, ["body", "age"]),
        ({"user_id": "other"}, ["body", "user_id"]),
    ],
)
def test_invalid_update_is_422_naming_the_field(client, payload, loc):
    client.post("/users", json={**ALICE, "user_id": "alice"})
    answer = client.put("/users/alice", json=payload)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == loc


def test_malformed_id_in_the_path_is_422(client):
    answer = client.get("/users/-leading-dash")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["path", "user_id"]


def test_list_returns_every_user_without_paging_parameters(client):
    ids = {client.post("/users", json={**ALICE, "user_id": f"user-{n:02d}"}).json()["user_id"] for n in range(12)}
    answer = client.get("/users").json()
    assert answer["count"] == 12
    assert answer["next_token"] is None
    assert {user["user_id"] for user in answer["items"]} == ids


def test_list_follows_scan_pages_past_one_megabyte(client, dynamodb):
    # DynamoDB (and moto) stop a scan page at 1 MB: four items of ~300 kB need two pages.
    for n in range(4):
        dynamodb.put_item(
            TableName=TABLE,
            Item={
                "user_id": {"S": f"big-{n}"},
                "name": {"S": "Big"},
                "email": {"S": "big@example.com"},
                "created_at": {"S": "2024-01-01T00:00:00.000+00:00"},
                "updated_at": {"S": "2024-01-01T00:00:00.000+00:00"},
                "padding": {"B": b"\0" * 300_000},
            },
        )
    assert dynamodb.scan(TableName=TABLE).get("LastEvaluatedKey")
    answer = client.get("/users").json()
    assert sorted(user["user_id"] for user in answer["items"]) == [f"big-{n}" for n in range(4)]


def test_pages_of_limit_users_cover_the_table_once(client):
    ids = {client.post("/users", json={**ALICE, "user_id": f"user-{n:02d}"}).json()["user_id"] for n in range(25)}
    seen, sizes, token = [], [], None
    while True:
        params = {"limit": 10, **({"next_token": token} if token else {})}
        page = client.get("/users", params=params).json()
        sizes.append(page["count"])
        seen.extend(user["user_id"] for user in page["items"])
        token = page["next_token"]
        if token is None:
            break
    assert sizes[:3] == [10, 10, 5]
    assert sorted(seen) == sorted(ids)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"limit": "ten"}])
def test_out_of_range_limit_is_422(client, params):
    answer = client.get("/users", params=params)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "limit"]


@pytest.mark.parametrize("token", ["%%%", "bm90LWpzb24", "eyJvdGhlciI6IDF9"])
def test_foreign_next_token_is_400(client, token):
    answer = client.get("/users", params={"next_token": token})
    assert answer.status_code == 400
    assert answer.json() == {"detail": "next_token is not valid"}


def test_oversized_body_is_413(client):
    answer = client.post("/users", json={"name": "A", "email": "a@example.com", "bio": "x" * 70_000})
    assert answer.status_code == 413
