# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: the app service in-process, its DynamoDB played by moto."""

import socket
from collections.abc import Iterator

import boto3
import pytest
from fastapi.testclient import TestClient
from moto import mock_aws

from main import create_app

TABLE = "lattice-users-test"
REGION = "eu-west-1"


@pytest.fixture(scope="session", autouse=True)
def aws_env(tmp_path_factory) -> Iterator[None]:
    """Fake credentials and a region, and nothing from the machine's own AWS configuration."""
    home = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as patch:
        for name in (
            "AWS_REGION",
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_DYNAMODB",
            "AWS_PROFILE",
            "AWS_SESSION_TOKEN",
            "AWS_MAX_ATTEMPTS",
            "AWS_RETRY_MODE",
            "DYNAMODB_CONNECT_TIMEOUT_SECONDS",
            "DYNAMODB_READ_TIMEOUT_SECONDS",
        ):
            patch.delenv(name, raising=False)
        patch.setenv("AWS_CONFIG_FILE", str(home / "config"))
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", REGION)
        patch.setenv("USERS_TABLE", TABLE)
        yield


def create_users_table(dynamodb) -> None:
    """The table as the data layer makes it: string partition key user_id, on demand."""
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture
def dynamodb() -> Iterator[object]:
    """A moto DynamoDB of its own, holding the empty users table."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_users_table(client)
        yield client


@pytest.fixture
def client(dynamodb) -> Iterator[TestClient]:
    """The app, started (lifespan and all) against that table."""
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
