# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Health, failure mapping, configuration and logging of the app service."""

import json
import socket
import time

import pytest
from botocore.exceptions import ClientError
from fastapi.testclient import TestClient
from moto import mock_aws

from conftest import TABLE
from main import Settings, configure_logging, create_app, dynamodb_failure


def test_health_is_200_while_the_table_answers(client):
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "dynamodb": {"table": TABLE, "table_status": "ACTIVE"}}


def test_health_is_503_when_the_table_does_not_exist():
    with mock_aws(), TestClient(create_app()) as client:
        answer = client.get("/health")
        assert answer.status_code == 503
        assert answer.json()["dynamodb"]["error"] == "ResourceNotFoundException"
        # Every call on a missing table is a 503 too, not a 500.
        assert client.get("/users/alice").status_code == 503


def test_unreachable_dynamodb_answers_503_within_two_seconds(monkeypatch, closed_port):
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port}")
    with TestClient(create_app()) as client:
        for method, path, body in (
            ("GET", "/health", None),
            ("GET", "/users", None),
            ("GET", "/users/alice", None),
            ("POST", "/users", {"name": "A", "email": "a@example.com"}),
            ("PUT", "/users/alice", {"name": "B"}),
            ("DELETE", "/users/alice", None),
        ):
            started = time.monotonic()
            answer = client.request(method, path, json=body)
            assert time.monotonic() - started < 2, f"{method} {path} took too long"
            assert answer.status_code == 503, f"{method} {path}"
            assert answer.headers["content-type"] == "application/json"
        assert client.get("/users").json() == {"detail": "DynamoDB is unavailable", "error": "EndpointConnectionError"}


def test_silent_dynamodb_times_out_to_503_instead_of_hanging(monkeypatch):
    # A socket that accepts connections and never answers: the read timeout must end the wait.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{silent.getsockname()[1]}")
        monkeypatch.setenv("DYNAMODB_READ_TIMEOUT_SECONDS", "0.5")
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        with TestClient(create_app()) as client:
            started = time.monotonic()
            answer = client.get("/users/alice")
            assert time.monotonic() - started < 2
            assert answer.status_code == 503
            assert answer.json()["error"] == "ReadTimeoutError"
            assert client.get("/health").status_code == 503


@pytest.mark.parametrize(
    "code, http_status, expected",
    [
        ("ProvisionedThroughputExceededException", 400, 503),
        ("ThrottlingException", 400, 503),
        ("RequestLimitExceeded", 400, 503),
        ("InternalServerError", 500, 503),
        ("AccessDeniedException", 400, 500),
        ("ValidationException", 400, 500),
    ],
)
def test_throttling_and_server_errors_map_to_503_other_refusals_to_500(code, http_status, expected):
    error = ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": http_status}}, "Scan"
    )
    assert dynamodb_failure(error) == (expected, code)


def test_users_table_is_required_at_start_up(monkeypatch):
    monkeypatch.delenv("USERS_TABLE")
    with pytest.raises(ValueError, match="USERS_TABLE is required"):
        with TestClient(create_app()):
            pass


def test_a_region_is_required_at_start_up(monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(ValueError, match="no AWS region: set AWS_REGION"):
        with TestClient(create_app()):
            pass


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"DYNAMODB_CONNECT_TIMEOUT_SECONDS": "soon"}, "DYNAMODB_CONNECT_TIMEOUT_SECONDS must be a number"),
        ({"DYNAMODB_READ_TIMEOUT_SECONDS": "0"}, "DYNAMODB_READ_TIMEOUT_SECONDS must be positive"),
        ({"AWS_MAX_ATTEMPTS": "0"}, "AWS_MAX_ATTEMPTS must be at least 1"),
        ({"AWS_RETRY_MODE": "eager"}, "AWS_RETRY_MODE must be"),
    ],
)
def test_bad_settings_name_the_variable(environ, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_env({"USERS_TABLE": TABLE, **environ})


def test_settings_prefer_aws_region_and_default_the_rest():
    settings = Settings.from_env(
        {"USERS_TABLE": TABLE, "AWS_REGION": "ap-northeast-2", "AWS_DEFAULT_REGION": "us-east-1"}
    )
    assert settings == Settings(
        TABLE, "ap-northeast-2", connect_timeout=2.0, read_timeout=3.0, max_attempts=2, retry_mode="standard"
    )


def test_each_request_logs_one_json_line_and_echoes_its_request_id(client, capsys):
    configure_logging()  # bind the handler to the stdout capsys captures
    answer = client.get("/users/nobody", headers={"X-Request-ID": "trace-42"})
    assert answer.headers["x-request-id"] == "trace-42"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 1
    assert lines[0]["message"] == "request"
    assert {key: lines[0][key] for key in ("request_id", "method", "path", "status")} == {
        "request_id": "trace-42",
        "method": "GET",
        "path": "/users/nobody",
        "status": 404,
    }
    assert lines[0]["duration_ms"] >= 0


def test_unusable_request_id_is_replaced(client):
    answer = client.get("/", headers={"X-Request-ID": "bad id\twith spaces"})
    assert len(answer.headers["x-request-id"]) == 32
