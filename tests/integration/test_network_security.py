# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The network and security layers: bad input refused before any AWS call, and shapes the lattice stack does not
have (three AZs, one NAT, none, endpoints, prefix-list rules). The lattice stack's own network and security are
checked in test_lattice_stack.py."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"network_vpcs": [{"name": "x", "cidr": "10.0.0.0/33"}]}, "network_vpcs[0] (x).cidr: '10.0.0.0/33' has an invalid prefix length"),
        ({"network_vpcs": [{"name": "a", "cidr": "10.0.0.0/16"}, {"name": "b", "cidr": "10.0.0.0/20"}]}, "overlaps VPC b"),
        ({"network_vpcs": [{"name": "a", "cidr": "10.0.0.0/16", "public_subnets": ["10.1.0.0/24", "10.0.1.0/24"]}]},
         "is outside the VPC's 10.0.0.0/16"),
        ({"network_vpcs": [{"name": "a", "cidr": "10.0.0.0/16", "az_count": 7}]}, "az_count"),
        ({"network_vpcs": [{"cidr": "10.0.0.0/16"}]}, "name"),
        ({"security_groups": [{"name": "g", "vpc": "consumer", "rules": [{"ports": [80], "group": "nope"}]}]},
         "no security group named 'nope'"),
        ({"blueprint_admin_cidr": "0.0.0.0/0"}, "port 22 open to 0.0.0.0/0"),
    ],
    ids=["bad-cidr", "overlap", "subnet-outside", "too-many-azs", "missing-name", "unknown-group", "world-ssh"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused(extra_vars, expected)


def test_more_azs_than_the_region_has_fails_before_creating(playbook, aws):
    vpc = {"name": "wide", "cidr": "10.0.0.0/16", "az_count": 3}
    # Only the network in this stack: the other layers' data names the lattice VPCs, which validation would refuse.
    others = ("security_groups", "security_iam_roles", "data_dynamodb_tables", "loadbalancer_target_groups",
              "loadbalancer_albs", "compute_ssh_keys", "compute_launch_templates", "compute_autoscaling_groups",
              "compute_instances", "lattice_service_networks", "lattice_services")
    run = playbook("site.yml", "--tags", "network", extra_vars={
        "network_vpcs": [vpc], "blueprint_region": "us-west-1", **{name: [] for name in others}})
    # us-west-1 has two AZs: the plan refuses before any VPC exists.
    assert run.returncode != 0
    assert "3 AZs asked, the region has 2 available" in " ".join(run.failure_messages())
    assert [v for v in aws.client("ec2").describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []


def test_other_shapes_converge_idempotently_and_go_away(playbook, aws):
    """Three AZs with one NAT, explicit subnets, no NAT, no internet gateway, endpoints, prefix-list rules."""
    ec2 = aws.client("ec2")
    s3_list = next(p for p in ec2.describe_managed_prefix_lists()["PrefixLists"]
                   if p["PrefixListName"] == "com.amazonaws.ap-northeast-2.s3")
    shapes = {"inventory": "tests/integration/inventories/shapes",
              "extra_vars": {"shapes_prefix_list_id": s3_list["PrefixListId"]}}

    first = playbook("site.yml", **shapes)
    assert first.returncode == 0, first.failure_messages() or first.stderr

    vpcs = {vpc["CidrBlock"]: vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")}
    assert sorted(vpcs) == ["10.20.0.0/20", "10.30.0.0/16", "10.40.0.0/24"]

    def subnets_of(cidr):
        found = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpcs[cidr]]}])["Subnets"]
        return sorted((s["CidrBlock"], s["AvailabilityZone"][-1]) for s in found)

    assert subnets_of("10.20.0.0/20") == [("10.20.0.0/24", "a"), ("10.20.1.0/24", "b"), ("10.20.2.0/24", "c"),
                                          ("10.20.3.0/24", "a"), ("10.20.4.0/24", "b"), ("10.20.5.0/24", "c")]
    assert [cidr for cidr, _zone in subnets_of("10.30.0.0/16")] == ["10.30.1.0/24", "10.30.2.0/24", "10.30.3.0/24",
                                                                    "10.30.4.0/24"]
    assert [cidr for cidr, _zone in subnets_of("10.40.0.0/24")] == ["10.40.0.0/26", "10.40.0.128/26", "10.40.0.192/26",
                                                                    "10.40.0.64/26"]
    nats = [n for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] == "available"]
    assert [n["VpcId"] for n in nats] == [vpcs["10.20.0.0/20"]]
    igws = ec2.describe_internet_gateways()["InternetGateways"]
    attached = {a["VpcId"] for igw in igws for a in igw.get("Attachments", [])}
    assert vpcs["10.40.0.0/24"] not in attached and vpcs["10.30.0.0/16"] in attached

    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpcs["10.20.0.0/20"]]}])["VpcEndpoints"]
    by_service = {e["ServiceName"].rsplit(".", 1)[-1]: e for e in endpoints}
    assert sorted(by_service) == ["dynamodb", "s3", "ssm"]
    assert by_service["ssm"]["VpcEndpointType"] == "Interface" and len(by_service["ssm"]["SubnetIds"]) == 3
    assert len(by_service["s3"]["RouteTableIds"]) == 2  # the public table and the one shared private table

    groups = {g["GroupName"]: g for g in ec2.describe_security_groups(
        Filters=[{"Name": "tag:blueprint:stack", "Values": ["shapes"]}])["SecurityGroups"]}
    web = groups["shapes-web"]
    assert [p["PrefixListId"] for r in web["IpPermissions"] for p in r.get("PrefixListIds", [])] == [s3_list["PrefixListId"]]
    assert [(r["FromPort"], r["ToPort"]) for r in web["IpPermissionsEgress"]] == [(443, 443)]
    assert groups["shapes-db"]["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] == web["GroupId"]
    iam = aws.client("iam")
    trust = iam.get_role(RoleName="shapes-task")["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    assert iam.list_instance_profiles()["InstanceProfiles"] == []

    second = playbook("site.yml", **shapes)
    assert second.returncode == 0 and second.changed == 0, second.changed_tasks() or second.failure_messages()

    down = playbook("teardown.yml", **shapes)
    assert down.returncode == 0, down.failure_messages()
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []
    assert ec2.describe_vpc_endpoints()["VpcEndpoints"] == [] or all(
        e["State"] in ("deleted", "deleting") for e in ec2.describe_vpc_endpoints()["VpcEndpoints"])
    assert ec2.describe_addresses()["Addresses"] == []
