# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.vpc_lattice_service and vpc_lattice_service_info through ansible-playbook against the emulator.

The playbook asserts each step itself (check mode, changed, not changed, the refused custom-domain change); this
test checks the run and what the emulator holds afterwards. Updating and deleting need the emulator's VPC Lattice
lifecycle (tests/harness/moto_lattice.py), so the test is skipped, with the reason, where that is missing.
"""

from __future__ import annotations

import importlib.util

import boto3
import botocore.config
import botocore.exceptions
import pytest

PLAYBOOK = "tests/integration/playbooks/vpc_lattice_service.yml"
# The playbook sets this region through module_defaults for group/blueprint.aws.aws only.
REGION = "us-west-2"


def lattice(aws):
    return boto3.client(
        "vpc-lattice", endpoint_url=aws.url, region_name=REGION, aws_access_key_id="testing",
        aws_secret_access_key="testing", config=botocore.config.Config(retries={"max_attempts": 1}),
    )  # fmt: skip


def missing_lifecycle(aws) -> str:
    """Why the emulator cannot update and delete services, or '' when it can."""
    if importlib.util.find_spec("moto_lattice") is None:
        return "tests/harness/moto_lattice.py (the emulator's VPC Lattice update/delete operations) is missing"
    try:
        lattice(aws).delete_service(serviceIdentifier="svc-0000000000000000a")
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return ""
    return "the emulator does not serve DeleteService yet (moto_lattice.apply() not hooked into emulator.py)"


def test_full_life_cycle(playbook, aws):
    reason = missing_lifecycle(aws)
    if reason:
        pytest.skip(reason)

    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr
    steps = [
        "Ensure the service exists",
        "Ensure the service requires IAM auth with its policy, a new certificate and new tags",
        "Ensure the service is gone",
    ]
    # Each change is predicted by check mode, made once, and not repeated; the refused change and the clean-up
    # change nothing.
    assert run.changed_tasks() == [name for step in steps for name in (step + " (check mode)", step)]
    [refused] = run.task_results("Try to give the service another custom domain name")
    assert "custom_domain_name cannot change from 'users.integration.example.com'" in refused["msg"]
    assert lattice(aws).list_services()["items"] == []
    assert aws.client("vpc-lattice").list_services()["items"] == []  # nothing in the environment's region
