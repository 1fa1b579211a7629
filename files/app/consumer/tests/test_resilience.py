# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retries, upstream failures, health semantics, headers and settings, against scripted loopback upstreams."""

import json
import time

import pytest
from fastapi.testclient import TestClient

from conftest import free_port
from main import Settings, configure_logging, create_app

UNAVAILABLE = (503, {"detail": "DynamoDB is unavailable", "error": "EndpointConnectionError"})
USER = {
    "user_id": "alice",
    "name": "Alice",
    "email": "alice@example.com",
    "age": None,
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-01T00:00:00Z",
}
CALLS = [
    ("GET", "/users/alice", None),
    ("PUT", "/users/alice", {"name": "B"}),
    ("DELETE", "/users/alice", None),
    ("POST", "/users", {"name": "A", "email": "a@example.com"}),
]


@pytest.mark.parametrize("method, path, body", CALLS[:3])
@pytest.mark.parametrize("code", [502, 503, 504])
def test_idempotent_calls_are_retried_on_502_503_504(stub, consumer_for, method, path, body, code):
    upstream = stub([(code, {"detail": "busy"}), (200, USER)])
    answer = consumer_for(upstream.url).request(method, path, json=body)
    assert answer.status_code == 200
    assert upstream.methods() == [method, method]


@pytest.mark.parametrize("method, path, body", CALLS[:3])
def test_retries_are_bounded_and_the_last_503_passes_through(stub, consumer_for, method, path, body):
    upstream = stub([UNAVAILABLE])
    answer = consumer_for(upstream.url, UPSTREAM_RETRIES="2").request(method, path, json=body)
    assert answer.status_code == 503
    assert answer.json() == UNAVAILABLE[1]
    assert upstream.methods() == [method] * 3


def test_post_is_never_retried(stub, consumer_for):
    upstream = stub([UNAVAILABLE, (201, USER)])
    answer = consumer_for(upstream.url, UPSTREAM_RETRIES="3").post(
        "/users", json={"name": "A", "email": "a@example.com"}
    )
    assert answer.status_code == 503
    assert upstream.methods() == ["POST"]


def test_post_is_not_retried_after_a_timeout(stub, consumer_for):
    upstream = stub([(201, USER)], delay=1.5)
    consumer = consumer_for(upstream.url, UPSTREAM_TIMEOUT_SECONDS="0.3", UPSTREAM_RETRIES="3")
    answer = consumer.post("/users", json={"name": "A", "email": "a@example.com"})
    assert answer.status_code == 504
    assert upstream.methods() == ["POST"]


def test_client_errors_and_successes_are_not_retried(stub, consumer_for):
    upstream = stub([(404, {"detail": "user 'alice' not found"})])
    answer = consumer_for(upstream.url).get("/users/alice")
    assert (answer.status_code, answer.json()) == (404, {"detail": "user 'alice' not found"})
    assert upstream.methods() == ["GET"]


def test_upstream_500_becomes_502_without_retry(stub, consumer_for):
    upstream = stub([(500, {"detail": "boom"})])
    answer = consumer_for(upstream.url).get("/users/alice")
    assert answer.status_code == 502
    assert answer.json()["upstream_status"] == 500
    assert upstream.methods() == ["GET"]


@pytest.mark.parametrize("method, path, body", CALLS)
def test_closed_upstream_port_is_502_quickly(consumer_for, method, path, body):
    consumer = consumer_for(f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    answer = consumer.request(method, path, json=body)
    assert time.monotonic() - started < 2
    assert answer.status_code == 502
    assert answer.json()["error"] == "upstream_unreachable"
    assert answer.json()["request_id"] == answer.headers["x-request-id"]


def test_sleeping_upstream_is_504_after_the_timeout_and_each_retry(stub, consumer_for):
    upstream = stub([(200, USER)], delay=3)
    consumer = consumer_for(upstream.url, UPSTREAM_TIMEOUT_SECONDS="0.3", UPSTREAM_RETRIES="1")
    started = time.monotonic()
    answer = consumer.get("/users/alice")
    elapsed = time.monotonic() - started
    assert answer.status_code == 504
    assert answer.json()["error"] == "upstream_timeout"
    assert upstream.methods() == ["GET", "GET"]
    assert 0.6 <= elapsed < 2


def test_health_stays_200_when_the_app_service_is_unreachable(consumer_for):
    consumer = consumer_for(f"http://127.0.0.1:{free_port()}")
    answer = consumer.get("/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded"
    assert answer.json()["upstream"]["status"] == "unreachable"
    upstream_health = consumer.get("/health/upstream")
    assert upstream_health.status_code == 502
    assert upstream_health.json()["status"] == "unreachable"
    assert consumer.get("/").status_code == 200


def test_health_stays_200_when_the_app_service_is_unhealthy(stub, consumer_for):
    body = {"status": "unavailable", "dynamodb": {"table": "t", "error": "EndpointConnectionError"}}
    consumer = consumer_for(stub([(503, body)]).url)
    answer = consumer.get("/health")
    assert answer.status_code == 200
    assert answer.json()["upstream"] == {"status": "unhealthy", "http_status": 503, "body": body}
    assert consumer.get("/health/upstream").status_code == 503


def test_health_answers_within_the_probe_timeout_when_the_app_service_hangs(stub, consumer_for):
    consumer = consumer_for(stub([(200, {"status": "ok"})], delay=5).url)
    started = time.monotonic()
    answer = consumer.get("/health/upstream")
    assert time.monotonic() - started < 3
    assert answer.status_code == 504
    assert answer.json()["status"] == "timeout"


def test_request_id_is_passed_on_and_returned(stub, consumer_for):
    upstream = stub([(200, USER)])
    answer = consumer_for(upstream.url).get("/users/alice", headers={"X-Request-ID": "abc-123"})
    assert answer.headers["x-request-id"] == "abc-123"
    assert upstream.calls[0]["headers"]["x-request-id"] == "abc-123"


@pytest.mark.parametrize("incoming", [None, "has spaces", "x" * 129])
def test_missing_or_unusable_request_id_is_generated(stub, consumer_for, incoming):
    upstream = stub([(200, USER)])
    answer = consumer_for(upstream.url).get("/users/alice", headers={"X-Request-ID": incoming} if incoming else {})
    generated = answer.headers["x-request-id"]
    assert len(generated) == 32 and generated != incoming
    assert upstream.calls[0]["headers"]["x-request-id"] == generated


def test_body_query_and_headers_are_forwarded_as_sent(stub, consumer_for):
    upstream = stub([(201, USER)])
    consumer = consumer_for(upstream.url)
    raw = b'{"name": "A",  "email": "a@example.com"}'
    consumer.post(
        "/users",
        content=raw,
        headers={"Content-Type": "application/json", "X-Forwarded-For": "198.51.100.7", "Cookie": "secret=1"},
    )
    consumer.get("/users", params=[("limit", "5"), ("next_token", "abc")])
    consumer.put("/users/a.b_c-d", json={"age": 3})
    post, listing, put = upstream.calls
    assert (post["method"], post["path"], post["body"]) == ("POST", "/users", raw)
    assert post["headers"]["content-type"] == "application/json"
    assert post["headers"]["x-forwarded-for"] == "198.51.100.7"
    assert "cookie" not in post["headers"]
    assert listing["path"] == "/users?limit=5&next_token=abc"
    assert (put["path"], json.loads(put["body"])) == ("/users/a.b_c-d", {"age": 3})


def test_each_request_logs_one_json_line_with_attempts(stub, consumer_for, capsys):
    upstream = stub([UNAVAILABLE, (200, USER)])
    consumer = consumer_for(upstream.url)
    configure_logging()  # bind the handler to the stdout capsys captures
    capsys.readouterr()
    consumer.get("/users/alice", headers={"X-Request-ID": "log-1"})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["message"] for line in lines] == ["retrying the app service", "request"]
    access = lines[-1]
    assert {key: access[key] for key in ("request_id", "method", "path", "status", "attempts", "upstream_status")} == {
        "request_id": "log-1",
        "method": "GET",
        "path": "/users/alice",
        "status": 200,
        "attempts": 2,
        "upstream_status": 200,
    }


def test_app_service_url_is_required_at_start_up(monkeypatch):
    monkeypatch.delenv("APP_SERVICE_URL", raising=False)
    with pytest.raises(ValueError, match="APP_SERVICE_URL must be an http"):
        with TestClient(create_app()):
            pass


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"APP_SERVICE_URL": "lattice.example:80"}, "APP_SERVICE_URL must be an http"),
        ({"UPSTREAM_TIMEOUT_SECONDS": "soon"}, "UPSTREAM_TIMEOUT_SECONDS must be a number"),
        ({"UPSTREAM_RETRIES": "1.5"}, "UPSTREAM_RETRIES must be an integer"),
        ({"UPSTREAM_RETRIES": "-1"}, "UPSTREAM_RETRIES must be at least 0"),
    ],
)
def test_bad_settings_name_the_variable(environ, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_env({"APP_SERVICE_URL": "http://svc.example:80", **environ})


def test_settings_defaults():
    settings = Settings.from_env(
        {"APP_SERVICE_URL": "http://svc-0123.7d67968.vpc-lattice-svcs.ap-northeast-2.on.aws:80/"}
    )
    assert settings == Settings("http://svc-0123.7d67968.vpc-lattice-svcs.ap-northeast-2.on.aws:80", 5.0, 2.0, 2, 0.2)


def test_oversized_body_is_413_and_never_sent(stub, consumer_for):
    upstream = stub([(201, USER)])
    answer = consumer_for(upstream.url).post(
        "/users", content=b"x" * 70_000, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert upstream.calls == []
