# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: the real app service on a loopback port (DynamoDB played by a moto server), scripted stand-in
upstreams for the failure cases, and the consumer in-process pointed at either."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer

from main import Settings, create_app

APP_DIR = Path(__file__).resolve().parents[2] / "app"
TABLE = "lattice-users-test"
REGION = "eu-west-1"
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}


def free_port() -> int:
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server: DynamoDB over real HTTP, as the app service reaches it through AWS_ENDPOINT_URL."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@dataclass
class AppService:
    """The app service as a process: its URL and its log file."""

    url: str
    log: Path

    def log_lines(self) -> list[dict[str, Any]]:
        """The JSON lines the service has logged so far."""
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


@pytest.fixture(scope="session")
def app_service(moto_endpoint, tmp_path_factory) -> Iterator[AppService]:
    """The app service, started as systemd starts it (uvicorn main:app from its directory), on the moto table."""
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=moto_endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    port = free_port()
    log = tmp_path_factory.mktemp("app-server") / "app-server.log"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_ENDPOINT_URL": moto_endpoint,
        "USERS_TABLE": TABLE,
        "APP_PORT": str(port),
        **FAKE_AWS,
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=APP_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"the app service exited with {process.returncode}:\n{log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"the app service did not become healthy:\n{log.read_text()}")
            time.sleep(0.1)
        yield AppService(url, log)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def consumer_for() -> Iterator[Any]:
    """Start a consumer in-process against a given upstream URL, with settings overridden as given."""
    with contextlib.ExitStack() as stack:

        def start(url: str, **environ: str) -> TestClient:
            settings = Settings.from_env({"APP_SERVICE_URL": url, "UPSTREAM_RETRY_BACKOFF_SECONDS": "0.01", **environ})
            return stack.enter_context(TestClient(create_app(settings)))

        yield start


@pytest.fixture
def consumer(app_service, consumer_for) -> TestClient:
    """The consumer forwarding to the real app service."""
    return consumer_for(app_service.url)


class StubUpstream:
    """A loopback HTTP server that answers from a script (the last answer repeats) and records every call."""

    def __init__(self, answers: list[tuple[int, Any]], delay: float = 0.0) -> None:
        self.answers = answers
        self.delay = delay
        self.calls: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                stub.calls.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {name.lower(): value for name, value in self.headers.items()},
                        "body": self.rfile.read(length) if length else b"",
                    }
                )
                code, payload = stub.answers[min(len(stub.calls), len(stub.answers)) - 1]
                time.sleep(stub.delay)
                data = json.dumps(payload).encode() if payload is not None else b""
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the consumer gave up waiting, as it should

            do_GET = do_POST = do_PUT = do_DELETE = answer

            def log_message(self, *args: Any) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        """Where the stub listens."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def methods(self) -> list[str]:
        """The methods of the calls received, in order."""
        return [call["method"] for call in self.calls]


@pytest.fixture
def stub() -> Iterator[Any]:
    """Start stand-in upstreams; each is shut down after the test."""
    started: list[StubUpstream] = []

    def start(answers: list[tuple[int, Any]], delay: float = 0.0) -> StubUpstream:
        upstream = StubUpstream(answers, delay)
        upstream.thread.start()
        started.append(upstream)
        return upstream

    yield start
    for upstream in started:
        upstream.server.shutdown()
        upstream.server.server_close()
