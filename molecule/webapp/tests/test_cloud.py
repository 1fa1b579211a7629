# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cloud side and the hosts agree: what the cloud layers made on the emulator and published is what the
hosts were configured with (the uploads bucket, the master credentials from the instance's secret), and every
port the ALB's target groups forward to is answered on the hosts of that tier."""

from __future__ import annotations

import json
import os
import shlex

import boto3
import pytest
from conftest import address, call

REGION = "ap-northeast-2"


@pytest.fixture(scope="module")
def aws():
    """Clients of the scenario's emulator (prepare.yml wrote its address), whatever the calling shell points at."""
    emulator = json.load(open(os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "emulator.json")))
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    return lambda service: session.client(service, endpoint_url=emulator["url"])


def environment_file(test_host, path: str) -> dict[str, str]:
    """KEY="value" lines as node_app writes them."""
    values = {}
    for line in test_host.file(path).content_string.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = shlex.split(value)[0] if value else ""
    return values


def test_the_backend_is_configured_from_what_the_cloud_layers_published(backend, aws):
    environment = environment_file(backend, "/etc/backend/env")
    buckets = [bucket["Name"] for bucket in aws("s3").list_buckets()["Buckets"]]
    assert environment["S3_BUCKET"] == "webapp-uploads-123456789012" and environment["S3_BUCKET"] in buckets

    [instance] = aws("rds").describe_db_instances()["DBInstances"]
    [secret] = [s for s in aws("secretsmanager").list_secrets()["SecretList"] if s["Name"] == "webapp-main-master"]
    credentials = json.loads(aws("secretsmanager").get_secret_value(SecretId=secret["ARN"])["SecretString"])
    assert environment["DB_USER"] == credentials["username"] == instance["MasterUsername"]
    # Compared, never shown: a failing assert prints only the comparison's result.
    same_password = environment["DB_PASSWORD"] == credentials["password"]
    assert same_password, "DB_PASSWORD in /etc/backend/env is not the password in the instance's secret"
    assert environment["DB_NAME"] == instance["DBName"]


@pytest.mark.parametrize("tier", ["frontend", "backend"])
def test_every_target_group_port_is_answered_on_its_tier(request, aws, tier):
    elbv2 = aws("elbv2")
    [group] = [g for g in elbv2.describe_target_groups()["TargetGroups"] if g["TargetGroupName"] == f"webapp-{tier}"]
    [load_balancer] = elbv2.describe_load_balancers(LoadBalancerArns=group["LoadBalancerArns"])["LoadBalancers"]
    assert load_balancer["Scheme"] == "internet-facing"
    # The ALB reaches the host's own address (not its loopback), at the group's port and health check path.
    test_host = request.getfixturevalue(tier)
    answer = call(f"http://{address(test_host)}:{group['Port']}{group['HealthCheckPath']}")
    assert answer.status == 200
