# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.vpc_lattice_service_network through ansible-playbook against the emulator.

The playbook asserts each step itself (check mode, changed, not changed); these tests check the run and what
the emulator holds afterwards. Creating needs plain moto; updating and deleting need the emulator's VPC Lattice
lifecycle (tests/harness/moto_lattice.py, hooked into tests/harness/emulator.py), so the full life cycle is
skipped, with the reason, where that is missing.
"""

from __future__ import annotations

import importlib.util

import boto3
import botocore.config
import botocore.exceptions
import pytest

PLAYBOOK = "tests/integration/playbooks/vpc_lattice_service_network.yml"
# The playbook sets this region through module_defaults for group/blueprint.aws.aws; the environment says
# ap-northeast-2, so finding the network here proves the action group reaches the modules.
REGION = "us-west-2"
NAME = "blueprint-integration"


def lattice(aws):
    return boto3.client(
        "vpc-lattice", endpoint_url=aws.url, region_name=REGION, aws_access_key_id="testing",
        aws_secret_access_key="testing", config=botocore.config.Config(retries={"max_attempts": 1}),
    )  # fmt: skip


def missing_lifecycle(aws) -> str:
    """Why the emulator cannot update and delete service networks, or '' when it can."""
    if importlib.util.find_spec("moto_lattice") is None:
        return "tests/harness/moto_lattice.py (the emulator's VPC Lattice update/delete operations) is missing"
    try:
        lattice(aws).delete_service_network(serviceNetworkIdentifier="sn-0000000000000000a")
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return ""
    return "the emulator does not serve DeleteServiceNetwork yet (moto_lattice.apply() not hooked into emulator.py)"


def networks(aws) -> list[dict]:
    client = lattice(aws)
    return [client.get_service_network(serviceNetworkIdentifier=item["id"])
            for item in client.list_service_networks()["items"]]  # fmt: skip


def test_create_with_check_mode_first_then_idempotent(playbook, aws):
    run = playbook(PLAYBOOK, "--tags", "create")

    assert run.returncode == 0, run.failure_messages() or run.stderr
    # Check-mode tasks report the change they predict; the re-run reports none.
    assert run.changed_tasks() == [
        "Ensure the service network exists (check mode)",
        "Ensure the service network exists",
    ]
    [network] = networks(aws)
    assert (network["name"], network["authType"]) == (NAME, "NONE")
    assert lattice(aws).list_tags_for_resource(resourceArn=network["arn"])["tags"] == {"blueprint:stack": "integration"}
    assert aws.client("vpc-lattice").list_service_networks()["items"] == []  # nothing in the environment's region


def test_full_life_cycle(playbook, aws):
    reason = missing_lifecycle(aws)
    if reason:
        pytest.skip(reason)

    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr
    steps = [
        "Ensure the service network exists",
        "Ensure the service network requires IAM auth with its policy and new tags",
        "Ensure the service network is gone",
    ]
    # Each change is predicted by check mode, made once, and not repeated; the clean-up finds nothing left.
    assert run.changed_tasks() == [name for step in steps for name in (step + " (check mode)", step)]
    assert networks(aws) == []
