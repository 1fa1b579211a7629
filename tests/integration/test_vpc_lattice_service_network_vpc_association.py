# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.vpc_lattice_service_network_vpc_association through ansible-playbook against the emulator.

The playbook asserts each step itself (check mode, changed, not changed, the refused removal of every security
group); this test checks the run's changes and that nothing is left in the emulator afterwards.
"""

from __future__ import annotations

import boto3

PLAYBOOK = "tests/integration/playbooks/vpc_lattice_service_network_vpc_association.yml"
REGION = "us-west-2"  # set by the playbook's module_defaults for group/blueprint.aws.aws


def client(aws, service: str):
    return boto3.client(
        service, endpoint_url=aws.url, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def test_full_life_cycle(playbook, aws):
    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr
    steps = [
        "Ensure the VPC is associated with the service network",
        "Ensure the association uses both security groups and new tags",
        "Ensure the VPC is no longer associated with the service network",
    ]
    changed = run.changed_tasks()
    # Each change is predicted by check mode, made once and not repeated; the refused update changed nothing,
    # and the clean-up found no association left.
    assert "Ensure no test association is left behind" not in changed
    assert [name for name in changed if name.startswith(("Ensure the VPC is", "Ensure the association"))] == [
        name for step in steps for name in (step + " (check mode)", step)
    ]
    lattice = client(aws, "vpc-lattice")
    assert lattice.list_service_networks()["items"] == []
    vpcs = client(aws, "ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["blueprint-association"]}])
    assert vpcs["Vpcs"] == []
