# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in process, against moto or a botocore Stubber, and capture its result."""

from __future__ import annotations

import boto3
import pytest
from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from botocore.stub import Stubber
from moto import mock_aws

REGION = "us-east-1"
WRITES = ("Create", "Update", "Delete", "Put", "Tag", "Untag")


class ModuleExit(Exception):
    """exit_json or fail_json was called; ``result`` is what the module returned."""

    def __init__(self, result: dict, failed: bool):
        super().__init__(result.get("msg", ""))
        self.result = result
        self.failed = failed


@pytest.fixture(autouse=True)
def no_emulator(monkeypatch):
    """Unit tests never reach a real endpoint, even from a shell pointed at the emulator."""
    for name in ("AWS_ENDPOINT_URL", "AWS_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)


def lattice_client():
    return boto3.client("vpc-lattice", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


class Recorder:
    """The API operations a client was asked for, in order."""

    def __init__(self, client):
        self.operations: list[str] = []
        client.meta.events.register("before-call.vpc-lattice.*", self._record)

    def _record(self, model, **_kwargs):
        self.operations.append(model.name)

    @property
    def writes(self) -> list[str]:
        return [name for name in self.operations if name.startswith(WRITES)]


@pytest.fixture
def moto_lattice():
    """A vpc-lattice client on in-process moto, with a Recorder of its calls as ``.recorder``."""
    with mock_aws():
        client = lattice_client()
        client.recorder = Recorder(client)
        yield client


@pytest.fixture
def stubbed():
    """A vpc-lattice client and its Stubber; every queued response must have been used."""
    client = lattice_client()
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def run_module(monkeypatch):
    """run_module(module, args, client, check_mode=False, diff=False) -> ModuleExit (.result, .failed).

    ``client`` is the one client the module gets, or a dict of clients by service name for a module using several.
    """

    def exit_json(_self, **kwargs):
        raise ModuleExit(kwargs, failed=False)

    def fail_json(_self, **kwargs):
        raise ModuleExit(kwargs, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

    def run(module, args: dict, client, check_mode: bool = False, diff: bool = False) -> ModuleExit:
        def pick(_self, service, **_kw):
            return client[service] if isinstance(client, dict) else client

        monkeypatch.setattr(AnsibleAWSModule, "client", pick)
        full_args = dict(args, region=REGION, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(full_args), pytest.raises(ModuleExit) as outcome:
            module.main()
        return outcome.value

    return run
