# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole lattice stack (seed 000) on the emulator: one converge with every layer, the outputs the seed lists,
and a tear-down that keeps the users table until the confirmation variable says otherwise, then leaves nothing.

Each layer's own re-run, check mode and bad input are proven by its own test file; this one proves the layers
compose: each finds what the earlier ones published, and the reverse order takes everything apart.
"""

from __future__ import annotations

import json
import os


def stack_leftovers(aws) -> dict[str, list]:
    """Everything of the stack the emulator still holds, by kind; empty lists when the stack is gone."""
    ec2, elb, asg = aws.client("ec2"), aws.client("elbv2"), aws.client("autoscaling")
    lattice, iam, dynamodb = aws.client("vpc-lattice"), aws.client("iam"), aws.client("dynamodb")
    instances = [
        instance["InstanceId"]
        for reservation in ec2.describe_instances()["Reservations"]
        for instance in reservation["Instances"]
        if instance["State"]["Name"] not in ("terminated", "shutting-down")
    ]  # fmt: skip
    return {
        "vpcs": [vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")],
        "nat_gateways": [nat["NatGatewayId"] for nat in ec2.describe_nat_gateways()["NatGateways"]
                         if nat["State"] in ("pending", "available")],
        "elastic_ips": [address["PublicIp"] for address in ec2.describe_addresses()["Addresses"]],
        "instances": instances,
        "key_pairs": [pair["KeyName"] for pair in ec2.describe_key_pairs()["KeyPairs"]],
        "launch_templates": [t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]],
        "autoscaling_groups": [g["AutoScalingGroupName"] for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]],
        "load_balancers": [lb["LoadBalancerName"] for lb in elb.describe_load_balancers()["LoadBalancers"]],
        "target_groups": [tg["TargetGroupName"] for tg in elb.describe_target_groups()["TargetGroups"]],
        "service_networks": [n["name"] for n in lattice.list_service_networks()["items"]],
        "services": [s["name"] for s in lattice.list_services()["items"]],
        "lattice_target_groups": [t["name"] for t in lattice.list_target_groups()["items"]],
        "roles": [role["RoleName"] for role in iam.list_roles()["Roles"] if role["RoleName"].startswith("lattice-")],
        "tables": dynamodb.list_tables()["TableNames"],
    }


def test_converge_outputs_and_teardown_with_and_without_data(playbook, aws, tmp_path):
    outputs_file = tmp_path / "outputs.json"
    key_dir = tmp_path / "keys"
    common = {"outputs_file": str(outputs_file), "compute_key_dir": str(key_dir)}

    converge = playbook("site.yml", extra_vars=common)
    assert converge.returncode == 0, converge.failure_messages() or converge.stderr[-2000:]

    # Seed 000, "주요 출력값": consumer ALB DNS name, bastion public IP, Lattice service ID, DynamoDB table name.
    outputs = json.loads(outputs_file.read_text())["outputs"]
    elb, lattice, ec2 = aws.client("elbv2"), aws.client("vpc-lattice"), aws.client("ec2")
    consumer_alb = elb.describe_load_balancers(Names=["lattice-consumer"])["LoadBalancers"][0]
    assert outputs["consumer_alb_dns_name"] == consumer_alb["DNSName"]
    assert consumer_alb["Scheme"] == "internet-facing"
    assert elb.describe_load_balancers(Names=["lattice-service"])["LoadBalancers"][0]["Scheme"] == "internal"
    [service] = lattice.list_services()["items"]
    assert outputs["lattice_service_id"] == service["id"]
    assert outputs["lattice_service_dns_name"] == service["dnsEntry"]["domainName"]
    assert outputs["dynamodb_table_name"] == "lattice-users"
    [address] = ec2.describe_addresses(PublicIps=[outputs["bastion_public_ip"]])["Addresses"]
    assert address.get("InstanceId")
    key_path = outputs["bastion_private_key"]
    assert key_path.startswith(str(key_dir)) and oct(os.stat(key_path).st_mode & 0o777) == "0o600"

    # The Lattice target group forwards to the internal service ALB.
    [target_group] = lattice.list_target_groups()["items"]
    targets = lattice.list_targets(targetGroupIdentifier=target_group["id"])["items"]
    assert [target["id"] for target in targets] == [
        elb.describe_load_balancers(Names=["lattice-service"])["LoadBalancers"][0]["LoadBalancerArn"]]

    # Without the confirmation, tear-down takes everything apart but the users table.
    keep = playbook("teardown.yml", extra_vars=common)
    assert keep.returncode == 0, keep.failure_messages()
    left = stack_leftovers(aws)
    assert left.pop("tables") == ["lattice-users"]
    assert all(value == [] for value in left.values()), left
    table = aws.client("dynamodb").describe_table(TableName="lattice-users")["Table"]
    assert table["DeletionProtectionEnabled"] is True

    gone = playbook("teardown.yml", extra_vars={**common, "blueprint_confirm_data_destruction": True})
    assert gone.returncode == 0, gone.failure_messages()
    assert all(value == [] for value in stack_leftovers(aws).values()), stack_leftovers(aws)
