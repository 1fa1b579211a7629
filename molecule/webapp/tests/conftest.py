# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures: the test hosts, and HTTP from the controller to nginx and the backend."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message

import pytest
import testinfra

FRONTEND_PORT = 3000
BACKEND_PORT = 9999


@dataclass
class Answer:
    """One HTTP answer; ``headers`` lookups ignore case."""

    status: int
    raw: bytes
    headers: Message

    @property
    def body(self) -> object:
        return json.loads(self.raw) if self.raw else None


def call(url: str, method: str = "GET", body: object = None, headers: dict[str, str] | None = None) -> Answer:
    """One request; error statuses are answers too."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, response.read(), response.headers)
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), error.headers)


def wait_healthy(url: str, seconds: int = 90) -> Answer:
    """Ask ``url`` until it answers 200 (a restart is under way) or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            answer = call(url)
            if answer.status == 200 or time.monotonic() > deadline:
                return answer
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(1)


def host(request: pytest.FixtureRequest, name: str):
    inventory = request.config.getoption("ansible_inventory")
    return testinfra.get_host(f"ansible://{name}", ansible_inventory=inventory)


def address(test_host) -> str:
    """The host's IPv4 address on the Docker bridge."""
    return next(a for a in test_host.interface("eth0").addresses if ":" not in a)


@pytest.fixture(scope="module")
def frontend(request: pytest.FixtureRequest):
    return host(request, "webapp-frontend")


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest):
    return host(request, "webapp-backend")


@pytest.fixture(scope="module")
def database(request: pytest.FixtureRequest):
    return host(request, "webapp-db")


@pytest.fixture(scope="module")
def site(frontend) -> str:
    """nginx on the frontend host, where the ALB would send everything."""
    return f"http://{address(frontend)}"


@pytest.fixture(scope="module")
def api(backend) -> str:
    """The backend's port, where the ALB's /api/* rule sends."""
    return f"http://{address(backend)}:{BACKEND_PORT}"
