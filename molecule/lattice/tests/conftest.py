# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures: the other test hosts, and HTTP from the controller to the consumer's port."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from email.message import Message

import pytest
import testinfra

UNITS = {"lattice-consumer": "consumer-app", "lattice-app": "app-server"}
PORT = 8000


@dataclass
class Answer:
    """One HTTP answer; ``headers`` lookups ignore case."""

    status: int
    body: object
    headers: Message


class Api:
    """JSON over HTTP to one base URL; error statuses are answers too."""

    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, body: object = None, request_id: str | None = None) -> Answer:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        request.add_header("X-Request-ID", request_id or f"molecule-{uuid.uuid4().hex}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, headers = error.code, error.read(), error.headers
        return Answer(status, json.loads(raw) if raw else None, headers)


def other_host(request: pytest.FixtureRequest, name: str):
    """A testinfra host for ``name`` from molecule's inventory, whatever host the test is parametrised on."""
    inventory = request.config.getoption("ansible_inventory")
    return testinfra.get_host(f"ansible://{name}", ansible_inventory=inventory)


def address(host) -> str:
    """The host's IPv4 address on the Docker bridge."""
    return next(a for a in host.interface("eth0").addresses if ":" not in a)


@pytest.fixture(scope="module")
def consumer(request: pytest.FixtureRequest):
    return other_host(request, "lattice-consumer")


@pytest.fixture(scope="module")
def app(request: pytest.FixtureRequest):
    return other_host(request, "lattice-app")


@pytest.fixture(scope="module")
def api(consumer) -> Api:
    """The consumer's port, as the consumer ALB reaches it."""
    return Api(f"http://{address(consumer)}:{PORT}")


@pytest.fixture(scope="module")
def ephemeral_directory() -> str:
    return os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]
