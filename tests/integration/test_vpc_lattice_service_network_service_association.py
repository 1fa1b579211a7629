# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.vpc_lattice_service_network_service_association through ansible-playbook against the emulator.

The playbook creates a service network and a service, then asserts each step of the association itself (check
mode, changed, not changed, the refused unknown service network); this test checks the run and what the emulator
holds afterwards. Deleting needs the emulator's VPC Lattice lifecycle (tests/harness/moto_lattice.py), so the test
is skipped, with the reason, where that is missing.
"""

from __future__ import annotations

import importlib.util

import boto3
import botocore.config
import botocore.exceptions
import pytest

PLAYBOOK = "tests/integration/playbooks/vpc_lattice_service_network_service_association.yml"
# The playbook sets this region through module_defaults for group/blueprint.aws.aws only.
REGION = "us-west-2"


def lattice(aws):
    return boto3.client(
        "vpc-lattice", endpoint_url=aws.url, region_name=REGION, aws_access_key_id="testing",
        aws_secret_access_key="testing", config=botocore.config.Config(retries={"max_attempts": 1}),
    )  # fmt: skip


def missing_lifecycle(aws) -> str:
    """Why the emulator cannot delete associations, or '' when it can."""
    if importlib.util.find_spec("moto_lattice") is None:
        return "tests/harness/moto_lattice.py (the emulator's VPC Lattice update/delete operations) is missing"
    try:
        lattice(aws).delete_service_network_service_association(
            serviceNetworkServiceAssociationIdentifier="snsa-0000000000000000a"
        )
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return ""
    return "the emulator does not serve DeleteServiceNetworkServiceAssociation yet (moto_lattice.apply() not hooked)"


def test_full_life_cycle(playbook, aws):
    reason = missing_lifecycle(aws)
    if reason:
        pytest.skip(reason)

    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr
    steps = [
        "Ensure the service is in the service network",
        "Ensure the association carries new tags",
        "Ensure the service is not in the service network",
    ]
    # The setup creates both ends; each association change is predicted by check mode, made once, and not
    # repeated; the refused association changes nothing; the clean-up deletes the service and the network.
    assert run.changed_tasks() == (
        ["Ensure the service network for the association exists", "Ensure the service for the association exists"]
        + [name for step in steps for name in (step + " (check mode)", step)]
        + ["Ensure no test service is left behind", "Ensure no test service network is left behind"]
    )
    [refused] = run.task_results("Try to associate the service with a service network that does not exist")
    assert refused["msg"] == "service_network 'blueprint-integration-nowhere' was not found"
    client = lattice(aws)
    assert client.list_service_network_service_associations()["items"] == []
    assert client.list_services()["items"] == client.list_service_networks()["items"] == []
