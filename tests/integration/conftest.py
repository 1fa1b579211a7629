# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration tests: the real playbooks against the embedded emulator, with fresh state per test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

import boto3
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "harness"))

import emulator  # noqa: E402  pylint: disable=wrong-import-position

REGION = "ap-northeast-2"
ACCESS_LINE = re.compile(r'"(GET|POST|PUT|DELETE|HEAD|PATCH) \S+ HTTP/1\.[01]" \d{3}')


@dataclass
class Emulator:
    """A running moto server and how to reach it."""

    url: str
    log_path: str
    env: dict = field(default_factory=dict)

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.url, region_name=REGION, aws_access_key_id="testing",
                            aws_secret_access_key="testing")

    def request_count(self) -> int:
        """Requests served so far, from the server's access log (the emulator's own API excluded)."""
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return sum(1 for line in handle if ACCESS_LINE.search(line) and "/moto-api/" not in line)


@dataclass
class PlaybookRun:
    """One ansible-playbook run, parsed from the json callback."""

    returncode: int
    output: dict
    stdout: str
    stderr: str

    @property
    def stats(self) -> dict:
        return self.output.get("stats", {}).get("localhost", {})

    @property
    def changed(self) -> int:
        return self.stats.get("changed", 0)

    @property
    def failed(self) -> int:
        return self.stats.get("failures", 0) + self.stats.get("unreachable", 0)

    def task_results(self, name_part: str) -> list[dict]:
        found = []
        for play in self.output.get("plays", []):
            for task in play.get("tasks", []):
                if name_part in task["task"]["name"]:
                    found.append(task["hosts"].get("localhost", {}))
        return found

    def changed_tasks(self) -> list[str]:
        """Names of the tasks that reported a change, with the changed loop items' labels."""
        names = []
        for play in self.output.get("plays", []):
            for task in play.get("tasks", []):
                result = task["hosts"].get("localhost", {})
                if result.get("changed"):
                    items = [str(item.get("_ansible_item_label", item.get("item", "")))
                             for item in result.get("results", []) if item.get("changed")]
                    names.append(task["task"]["name"] + (" " + repr(items) if items else ""))
        return names

    def failure_messages(self) -> list[str]:
        messages = []
        for play in self.output.get("plays", []):
            for task in play.get("tasks", []):
                result = task["hosts"].get("localhost", {})
                if result.get("failed"):
                    messages.append("{0}: {1}".format(task["task"]["name"], result.get("msg", "")))
                    messages += [str(item.get("msg", item)) for item in result.get("results", []) if item.get("failed")]
        return messages


# The whole-stack life cycles take far longer than any other test (test_lattice_stack about half an hour on two
# busy cores): collected first, they start at once on their own workers, and the short tests fill the other one.
LONGEST_FIRST = ("test_lattice_stack.py", "test_webapp_stack.py")


def pytest_collection_modifyitems(items):
    """Start the whole-stack tests first, so pytest-xdist's two workers finish together."""

    def rank(item) -> int:
        name = os.path.basename(str(item.fspath))
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST and "bad_input" not in item.name else len(LONGEST_FIRST)

    items.sort(key=rank)


@pytest.fixture(scope="session")
def moto():
    """One emulator for the session, on a free port, with its access log kept for request counts."""
    port = emulator.free_port()
    log = tempfile.NamedTemporaryFile(prefix="blueprint-emulator-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tests", "harness", "emulator.py"), "--port", str(port), "--no-bridge"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        emulator.wait_ready(url)
        yield Emulator(url=url, log_path=log.name, env=emulator.endpoint_environment(url, REGION))
    finally:
        process.terminate()
        process.wait(timeout=30)
        os.unlink(log.name)


@pytest.fixture
def aws(moto):
    """Fresh emulator state for each test."""
    emulator.reset(moto.url)
    return moto


@pytest.fixture
def playbook(aws):
    """Run a playbook of this checkout against the emulator; returns a PlaybookRun."""

    def run(playbook_path: str, *args: str, inventory: str = "inventories/lattice", extra_vars: dict | None = None):
        env = dict(os.environ)
        env.update(aws.env)
        env.update({
            "ANSIBLE_CONFIG": os.path.join(ROOT, "ansible.cfg"),
            "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
            "ANSIBLE_CALLBACK_RESULT_FORMAT": "json",
            "ANSIBLE_DEPRECATION_WARNINGS": "false",
            "ANSIBLE_NOCOLOR": "1",
        })  # fmt: skip
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, playbook_path]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        command += list(args)
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        try:
            output = json.loads(result.stdout)
        except json.JSONDecodeError:
            output = {}
        return PlaybookRun(result.returncode, output, result.stdout, result.stderr)

    return run


@pytest.fixture
def refused(playbook, aws):
    """refused(extra_vars, *expected, args=()) runs site.yml with bad input and proves it stopped cleanly
    before the first AWS request: a failure, every expected message, no traceback, the emulator untouched."""

    def run(extra_vars: dict, *expected: str, args: tuple = (), inventory: str = "inventories/lattice") -> PlaybookRun:
        before = aws.request_count()
        result = playbook("site.yml", *args, inventory=inventory, extra_vars=extra_vars)
        assert result.returncode != 0
        messages = " ".join(result.failure_messages()) + result.stdout + result.stderr
        for text in expected:
            assert text in messages
        assert "Traceback" not in messages
        assert aws.request_count() == before
        return result

    return run
