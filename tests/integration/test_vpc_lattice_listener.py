# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.vpc_lattice_listener through ansible-playbook against the emulator.

The test creates the service and the two target groups with boto3 (they belong to other modules); the playbook
asserts each step itself (check mode, changed, not changed, diff); these tests check the run and what the emulator
holds afterwards. Rules need the emulator's VPC Lattice lifecycle (tests/harness/moto_lattice.py).
"""

from __future__ import annotations

import importlib.util

import boto3
import botocore.config
import pytest

PLAYBOOK = "tests/integration/playbooks/vpc_lattice_listener.yml"
# The playbook sets this region through module_defaults for group/blueprint.aws.aws only.
REGION = "us-west-2"


def lattice(aws):
    return boto3.client(
        "vpc-lattice", endpoint_url=aws.url, region_name=REGION, aws_access_key_id="testing",
        aws_secret_access_key="testing", config=botocore.config.Config(retries={"max_attempts": 1}),
    )  # fmt: skip


@pytest.fixture
def service(aws) -> dict:
    """The service ``blueprint-orders`` and target groups ``blueprint-blue``/``blueprint-green`` the playbook uses."""
    if importlib.util.find_spec("moto_lattice") is None:
        pytest.skip("tests/harness/moto_lattice.py (the emulator's listener rules) is missing")
    client = lattice(aws)
    ec2 = boto3.client(
        "ec2", endpoint_url=aws.url, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for name in ("blueprint-blue", "blueprint-green"):
        client.create_target_group(
            name=name, type="IP", config={"port": 8080, "protocol": "HTTP", "vpcIdentifier": vpc}
        )  # fmt: skip
    return client.create_service(name="blueprint-orders")


def rules(aws, service_id: str) -> list[dict]:
    client = lattice(aws)
    [listener] = client.list_listeners(serviceIdentifier=service_id)["items"]
    items = client.list_rules(serviceIdentifier=service_id, listenerIdentifier=listener["id"])["items"]
    return [
        client.get_rule(serviceIdentifier=service_id, listenerIdentifier=listener["id"], ruleIdentifier=item["id"])
        for item in items
    ]


def test_create_with_check_mode_first_then_idempotent(playbook, aws, service):
    run = playbook(PLAYBOOK, "--tags", "create")

    assert run.returncode == 0, run.failure_messages() or run.stderr
    assert run.changed_tasks() == [
        "Ensure the listener exists with its rules (check mode)",
        "Ensure the listener exists with its rules",
    ]
    found = rules(aws, service["id"])
    assert [(rule["name"], rule.get("priority"), rule["isDefault"]) for rule in found] == [
        ("api", 10, False),
        ("canary", 20, False),
        ("default", None, True),
    ]
    groups = {item["name"]: item["id"] for item in lattice(aws).list_target_groups()["items"]}
    assert found[1]["action"]["forward"]["targetGroups"] == [
        {"targetGroupIdentifier": groups["blueprint-blue"], "weight": 90},
        {"targetGroupIdentifier": groups["blueprint-green"], "weight": 10},
    ]
    assert found[2]["action"] == {"fixedResponse": {"statusCode": 404}}


def test_full_life_cycle(playbook, aws, service):
    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr
    steps = [
        "Ensure the listener exists with its rules",
        "Ensure the canary rule comes first with an even split",
        "Ensure only the api rule is left",
        "Ensure the listener is gone",
    ]
    # Each change is predicted by check mode, made once, and not repeated; the clean-up finds nothing left.
    assert run.changed_tasks() == [name for step in steps for name in (step + " (check mode)", step)]
    assert lattice(aws).list_listeners(serviceIdentifier=service["id"])["items"] == []


def test_unknown_target_group_fails_before_anything_is_created(playbook, aws, service):
    wrong = [{"name": "api", "priority": 10, "match": {"method": "GET"},
              "action": {"forward": {"target_groups": [{"target_group": "blueprint-missing"}]}}}]  # fmt: skip

    run = playbook(PLAYBOOK, "--tags", "create", extra_vars={"listener_rules": wrong})

    assert run.returncode != 0
    assert any(
        "rule 'api' forwards to target group 'blueprint-missing', which does not exist" in message
        for message in run.failure_messages()
    ), run.failure_messages()
    assert lattice(aws).list_listeners(serviceIdentifier=service["id"])["items"] == []
