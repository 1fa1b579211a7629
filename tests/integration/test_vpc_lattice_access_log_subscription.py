# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.vpc_lattice_access_log_subscription through ansible-playbook against the emulator.

The playbook asserts each step itself (check mode, changed, not changed, the refused destination); this test checks
the run's changes and that nothing is left in the emulator afterwards.
"""

from __future__ import annotations

import boto3

PLAYBOOK = "tests/integration/playbooks/vpc_lattice_access_log_subscription.yml"
REGION = "us-west-2"  # set by the playbook's module_defaults for group/blueprint.aws.aws


def test_full_life_cycle(playbook, aws):
    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr
    steps = [
        "Ensure the service network logs its access to CloudWatch Logs",
        "Ensure the access logs go to another log group, with new tags",
        "Ensure the service network no longer logs to CloudWatch Logs",
    ]
    expected = [name for step in steps for name in (step + " (check mode)", step)]
    expected.insert(4, "Ensure the service network also keeps its access logs in S3")
    # Each change is predicted by check mode, made once and not repeated; the clean-up deletes the S3 subscription
    # and the network.
    assert run.changed_tasks() == [
        "Ensure the service network whose access is logged exists",
        *expected,
        "Ensure no test subscription is left behind ['arn:aws:s3:::blueprint-lattice-logs']",
        "Ensure no test service network is left behind",
    ]
    lattice = boto3.client(
        "vpc-lattice", endpoint_url=aws.url, region_name=REGION, aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )  # fmt: skip
    assert lattice.list_service_networks()["items"] == []
