# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.vpc_lattice_target_group through ansible-playbook against the emulator.

The playbook asserts each step itself (check mode, changed, not changed, target registration and deregistration,
the refused health check of an ALB group and the refused port change); this test checks which tasks changed
something and that nothing is left in the emulator afterwards.
"""

from __future__ import annotations

import boto3

PLAYBOOK = "tests/integration/playbooks/vpc_lattice_target_group.yml"
REGION = "us-west-2"  # set by the playbook's module_defaults for group/blueprint.aws.aws


def client(aws, service: str):
    return boto3.client(
        service, endpoint_url=aws.url, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def test_full_life_cycle(playbook, aws):
    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr
    steps = [
        "Ensure the target group exists with two instances",
        "Ensure the health check, targets and tags change in place",
        "Ensure one more instance is registered, keeping the others",
        "Ensure every target is deregistered",
        "Ensure the target group is gone",
    ]
    # Each change is predicted by check mode, made once and not repeated; the refused requests changed nothing.
    assert [name for name in run.changed_tasks() if "VPC" not in name] == [
        name for step in steps for name in (step + " (check mode)", step)
    ]
    assert client(aws, "vpc-lattice").list_target_groups()["items"] == []
    vpcs = client(aws, "ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["blueprint-target-group"]}])
    assert vpcs["Vpcs"] == []


def test_delete_refused_while_a_listener_forwards_to_the_group(playbook, aws):
    lattice = client(aws, "vpc-lattice")
    group = lattice.create_target_group(
        name="blueprint-integration-in-use",
        type="IP",
        config={"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-0123456789abcdef0"},
    )
    service = lattice.create_service(name="blueprint-integration-in-use")
    forward = {"forward": {"targetGroups": [{"targetGroupIdentifier": group["id"], "weight": 100}]}}
    lattice.create_listener(serviceIdentifier=service["id"], name="http", protocol="HTTP", defaultAction=forward)

    run = playbook(PLAYBOOK, "--tags", "in_use")

    assert run.returncode == 0, run.failure_messages() or run.stderr
    assert run.changed_tasks() == []
    assert [item["id"] for item in lattice.list_target_groups()["items"]] == [group["id"]]
