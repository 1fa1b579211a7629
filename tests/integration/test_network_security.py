# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lattice stack's network and security layers on the emulator: converge, re-run, check, tear down."""

from __future__ import annotations

import pytest

LAYERS = ("--tags", "network,security")


def live_nat_gateways(ec2) -> list[dict]:
    gateways = ec2.describe_nat_gateways()["NatGateways"]
    return [gateway for gateway in gateways if gateway["State"] in ("pending", "available")]


def stack_groups(ec2) -> dict[str, dict]:
    groups = ec2.describe_security_groups(Filters=[{"Name": "tag:blueprint:stack", "Values": ["lattice"]}])
    return {group["GroupName"]: group for group in groups["SecurityGroups"]}


def test_converge_rerun_check_and_teardown(playbook, aws):
    ec2 = aws.client("ec2")
    iam = aws.client("iam")

    first = playbook("site.yml", *LAYERS)
    assert first.returncode == 0, first.failure_messages() or first.stderr
    assert first.changed > 0

    vpcs = {vpc["CidrBlock"]: vpc for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")}
    assert sorted(vpcs) == ["10.0.0.0/16", "172.168.0.0/16"]
    consumer = vpcs["172.168.0.0/16"]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [consumer]}])["Subnets"]
    assert sorted((subnet["CidrBlock"], subnet["AvailabilityZone"], subnet["MapPublicIpOnLaunch"]) for subnet in subnets) == [
        ("172.168.0.0/24", "ap-northeast-2a", True),
        ("172.168.1.0/24", "ap-northeast-2b", True),
        ("172.168.2.0/24", "ap-northeast-2a", False),
        ("172.168.3.0/24", "ap-northeast-2b", False),
    ]
    # A NAT gateway per AZ in each VPC, and each private subnet routes through the one in its own AZ.
    nats = live_nat_gateways(ec2)
    assert len(nats) == 4
    nat_by_subnet = {nat["SubnetId"]: nat["NatGatewayId"] for nat in nats}
    by_cidr = {subnet["CidrBlock"]: subnet for subnet in subnets}
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [consumer]}])["RouteTables"]
    for private_cidr, public_cidr in (("172.168.2.0/24", "172.168.0.0/24"), ("172.168.3.0/24", "172.168.1.0/24")):
        subnet_id = by_cidr[private_cidr]["SubnetId"]
        table = next(t for t in tables if subnet_id in [a.get("SubnetId") for a in t["Associations"]])
        default = next(route for route in table["Routes"] if route.get("DestinationCidrBlock") == "0.0.0.0/0")
        assert default["NatGatewayId"] == nat_by_subnet[by_cidr[public_cidr]["SubnetId"]]

    groups = stack_groups(ec2)
    assert sorted(groups) == ["lattice-app-server", "lattice-bastion", "lattice-consumer-alb", "lattice-consumer-lattice",
                              "lattice-consumer-server", "lattice-service-alb"]
    bastion_ingress = groups["lattice-bastion"]["IpPermissions"]
    assert [(rule["FromPort"], [r["CidrIp"] for r in rule["IpRanges"]]) for rule in bastion_ingress] == [
        (22, ["203.0.113.0/24"])]
    server_sources = {
        (rule["FromPort"], pair["GroupId"])
        for rule in groups["lattice-consumer-server"]["IpPermissions"] for pair in rule["UserIdGroupPairs"]
    }  # fmt: skip
    assert server_sources == {(8000, groups["lattice-consumer-alb"]["GroupId"]), (22, groups["lattice-bastion"]["GroupId"])}

    # The service ALB admits VPC Lattice through its AWS-managed prefix list, looked up by name.
    lattice_list = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.ap-northeast-2.vpc-lattice"]}])["PrefixLists"][0]
    assert [(rule["FromPort"], [p["PrefixListId"] for p in rule["PrefixListIds"]])
            for rule in groups["lattice-service-alb"]["IpPermissions"]] == [(80, [lattice_list["PrefixListId"]])]

    roles = {role["RoleName"] for role in iam.list_roles()["Roles"]}
    assert {"lattice-bastion", "lattice-app-dynamodb"} <= roles
    profile = iam.get_instance_profile(InstanceProfileName="lattice-app-dynamodb")["InstanceProfile"]
    assert [role["RoleName"] for role in profile["Roles"]] == ["lattice-app-dynamodb"]
    policy = iam.get_role_policy(RoleName="lattice-app-dynamodb", PolicyName="users-table-crud")["PolicyDocument"]
    assert policy["Statement"][0]["Resource"][0] == "arn:aws:dynamodb:ap-northeast-2:123456789012:table/lattice-users"
    attached = iam.list_attached_role_policies(RoleName="lattice-app-dynamodb")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]

    second = playbook("site.yml", *LAYERS)
    assert second.returncode == 0, second.failure_messages()
    assert second.changed == 0, second.changed_tasks()

    # Check mode with one changed value predicts the change, shows it, and alters nothing.
    check = playbook("site.yml", *LAYERS, "--check", "--diff", extra_vars={"blueprint_admin_cidr": "198.51.100.0/24"})
    assert check.returncode == 0, check.failure_messages()
    assert check.changed >= 1
    pass2 = check.task_results("carries exactly its rules")
    assert pass2 and pass2[0].get("changed")
    bastion = next(item for item in pass2[0]["results"] if item["item"]["name"] == "bastion")
    assert bastion["changed"] and "198.51.100.0/24" in str(bastion["diff"])
    after = stack_groups(ec2)["lattice-bastion"]["IpPermissions"]
    assert [r["CidrIp"] for r in after[0]["IpRanges"]] == ["203.0.113.0/24"]

    down = playbook("teardown.yml")
    assert down.returncode == 0, down.failure_messages()
    assert [vpc for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")] == []
    assert live_nat_gateways(ec2) == []
    assert ec2.describe_addresses()["Addresses"] == []
    assert stack_groups(ec2) == {}
    assert not {"lattice-bastion", "lattice-app-dynamodb"} & {role["RoleName"] for role in iam.list_roles()["Roles"]}
    assert iam.list_instance_profiles()["InstanceProfiles"] == []

    again = playbook("teardown.yml")
    assert again.returncode == 0 and again.changed == 0


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
