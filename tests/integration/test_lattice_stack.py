# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole lattice stack (seed 000) on the emulator, in one life cycle: converge every layer from nothing, check
what each layer made and published, re-run (nothing changes), one check-mode run with a change for every layer
(each predicted, shown, nothing altered), HTTPS on the consumer ALB, then tear-down: the compute layer alone (the
layers under it stay), the rest keeping the users table, the table with the confirmation, and a last tear-down with
nothing left to do.

One life cycle instead of one per layer: each converge of the stack's lower layers costs minutes of module runs, so
the layers' checks share this one. Each layer's bad input is proven in its own file (test_<layer>.py), without AWS.
"""

from __future__ import annotations

import base64
import json
import os
import stat

from lattice_queries import (
    NEWEST_DEBIAN, ROOT, TABLE, attributes, import_certificate, inventory_list, latest_template_data,
    listeners_by_port, live_nat_gateways, protection, stack_albs, stack_groups, stack_instances, stack_target_groups,
    tables, tags_of,
)

SSM_TRANSFERS = "lattice-ssm-transfers-123456789012"


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
        "buckets": [bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"]],
        "tables": dynamodb.list_tables()["TableNames"],
    }


def check_network_and_security(aws) -> None:
    ec2, iam = aws.client("ec2"), aws.client("iam")

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


def check_loadbalancer(aws, run) -> dict:
    """The ALBs and target groups; returns the target groups by name."""
    ec2, elbv2 = aws.client("ec2"), aws.client("elbv2")

    vpcs = {vpc["CidrBlock"]: vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")}
    consumer_vpc, service_vpc = vpcs["172.168.0.0/16"], vpcs["10.0.0.0/16"]

    def subnet_ids(vpc_id: str, public: bool) -> list[str]:
        found = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
        return sorted(subnet["SubnetId"] for subnet in found if subnet["MapPublicIpOnLaunch"] == public)

    groups = {group["GroupName"]: group["GroupId"] for group in ec2.describe_security_groups()["SecurityGroups"]}

    target_groups = stack_target_groups(elbv2)
    assert sorted(target_groups) == ["lattice-app-server", "lattice-consumer-app"]
    for name, vpc_id in (("lattice-consumer-app", consumer_vpc), ("lattice-app-server", service_vpc)):
        group = target_groups[name]
        assert (group["VpcId"], group["Protocol"], group["Port"], group["TargetType"]) == (vpc_id, "HTTP", 8000, "instance")
        health = (group["HealthCheckPath"], group["Matcher"], group["HealthCheckPort"])
        assert health == ("/health", {"HttpCode": "200"}, "traffic-port")
        draining = elbv2.describe_target_group_attributes(TargetGroupArn=group["TargetGroupArn"])["Attributes"]
        assert {"Key": "deregistration_delay.timeout_seconds", "Value": "30"} in draining

    albs = stack_albs(elbv2)
    assert sorted(albs) == ["lattice-consumer", "lattice-service"]
    consumer, service = albs["lattice-consumer"], albs["lattice-service"]
    assert (consumer["Scheme"], consumer["VpcId"]) == ("internet-facing", consumer_vpc)
    assert sorted(zone["SubnetId"] for zone in consumer["AvailabilityZones"]) == subnet_ids(consumer_vpc, public=True)
    assert consumer["SecurityGroups"] == [groups["lattice-consumer-alb"]]
    assert (service["Scheme"], service["VpcId"]) == ("internal", service_vpc)
    assert sorted(zone["SubnetId"] for zone in service["AvailabilityZones"]) == subnet_ids(service_vpc, public=False)
    assert service["SecurityGroups"] == [groups["lattice-service-alb"]]
    for alb in (consumer, service):
        settings = attributes(elbv2, alb)
        assert settings["routing.http.drop_invalid_header_fields.enabled"] == "true"
        assert settings["deletion_protection.enabled"] == "false"
        assert settings["idle_timeout.timeout_seconds"] == "60"

    # Without a certificate the consumer ALB serves HTTP only, forwarding to its target group.
    consumer_listeners = listeners_by_port(elbv2, consumer)
    assert list(consumer_listeners) == [80]
    assert consumer_listeners[80]["DefaultActions"] == [
        {"Type": "forward", "TargetGroupArn": target_groups["lattice-consumer-app"]["TargetGroupArn"]}]
    service_listeners = listeners_by_port(elbv2, service)
    assert list(service_listeners) == [80] and service_listeners[80]["Protocol"] == "HTTP"
    assert service_listeners[80]["DefaultActions"][0]["TargetGroupArn"] == target_groups["lattice-app-server"]["TargetGroupArn"]

    # What the compute and lattice layers read.
    published = run.task_results("Publish load balancer ARNs")[-1]["ansible_facts"]
    assert published["loadbalancer_arns"] == {"consumer": consumer["LoadBalancerArn"], "service": service["LoadBalancerArn"]}
    assert published["loadbalancer_dns_names"] == {"consumer": consumer["DNSName"], "service": service["DNSName"]}
    assert published["loadbalancer_target_group_arns"] == {
        "consumer-app": target_groups["lattice-consumer-app"]["TargetGroupArn"],
        "app-server": target_groups["lattice-app-server"]["TargetGroupArn"]}
    return target_groups


def check_compute(aws, run, key_dir) -> None:
    ec2, autoscaling = aws.client("ec2"), aws.client("autoscaling")

    # The key pair: generated here, outside the repository, private half 0600 in a 0700 directory; EC2
    # holds the public half only.
    private_key = key_dir / "bastion"
    assert not str(private_key.resolve()).startswith(ROOT + os.sep)
    assert stat.S_IMODE(private_key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    pairs = ec2.describe_key_pairs(KeyNames=["lattice-bastion"], IncludePublicKey=True)["KeyPairs"]
    local_public = (key_dir / "bastion.pub").read_text().split()[:2]
    assert pairs[0]["KeyType"] == "ed25519" and pairs[0]["PublicKey"].split()[:2] == local_public

    # Launch templates: newest Debian 12, t3.micro, IMDSv2 required, encrypted gp3 root volume, Role tags.
    groups = {g["GroupName"]: g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    for name, group, role in (
        ("bastion", "bastion", "bastion"),
        ("consumer", "consumer-server", "consumer"),
        ("app", "app-server", "app"),
    ):
        data = latest_template_data(ec2, f"lattice-{name}")
        assert data["ImageId"] == NEWEST_DEBIAN and data["InstanceType"] == "t3.micro"
        assert data["MetadataOptions"]["HttpTokens"] == "required"
        assert data["MetadataOptions"]["HttpPutResponseHopLimit"] == 1
        assert data["BlockDeviceMappings"] == [
            {
                "DeviceName": "/dev/xvda",
                "Ebs": {"Encrypted": True, "DeleteOnTermination": True, "VolumeSize": 8, "VolumeType": "gp3"},
            }
        ]
        assert data["SecurityGroupIds"] == [groups[f"lattice-{group}"]]
        instance_tags = next(spec["Tags"] for spec in data["TagSpecifications"] if spec["ResourceType"] == "instance")
        assert {"Key": "Role", "Value": role} in instance_tags
    assert latest_template_data(ec2, "lattice-app")["IamInstanceProfile"]["Arn"].endswith(
        ":instance-profile/lattice-app-dynamodb"
    )
    assert "IamInstanceProfile" not in latest_template_data(ec2, "lattice-consumer")
    user_data = base64.b64decode(latest_template_data(ec2, "lattice-app")["UserData"]).decode()
    assert "systemctl enable --now amazon-ssm-agent" in user_data and "amazon-ssm-ap-northeast-2" in user_data

    # The bastion: in the consumer VPC's first public subnet, IMDSv2 required, encrypted root volume, and the
    # Elastic IP (the seed's fixed address) associated and tagged for it.
    instances = stack_instances(ec2)
    bastion = next(i for i in instances if tags_of(i).get("blueprint:instance") == "bastion")
    assert tags_of(bastion)["Role"] == "bastion" and tags_of(bastion)["Name"] == "lattice-bastion"
    assert bastion["MetadataOptions"]["HttpTokens"] == "required"
    assert bastion["KeyName"] == "lattice-bastion" and bastion["ImageId"] == NEWEST_DEBIAN
    subnet = ec2.describe_subnets(SubnetIds=[bastion["SubnetId"]])["Subnets"][0]
    assert subnet["CidrBlock"] == "172.168.0.0/24"
    volumes = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [bastion["InstanceId"]]}])
    root = next(v for v in volumes["Volumes"] if v["Attachments"][0]["Device"] == "/dev/xvda")
    assert root["Encrypted"] and root["VolumeType"] == "gp3"
    address = ec2.describe_addresses(Filters=[{"Name": "tag:blueprint:instance", "Values": ["bastion"]}])["Addresses"]
    assert len(address) == 1 and address[0]["InstanceId"] == bastion["InstanceId"]
    eip = address[0]["PublicIp"]

    # The groups: 2/6/2 with ELB health checks over the private subnets, in the loadbalancer layer's target groups.
    by_name = {g["AutoScalingGroupName"]: g for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]}
    assert sorted(by_name) == ["lattice-app", "lattice-consumer"]
    elbv2 = aws.client("elbv2")
    for name, target_group, cidrs in (
        ("consumer", "lattice-consumer-app", {"172.168.2.0/24", "172.168.3.0/24"}),
        ("app", "lattice-app-server", {"10.0.2.0/24", "10.0.3.0/24"}),
    ):
        group = by_name[f"lattice-{name}"]
        assert (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]) == (2, 6, 2)
        assert group["HealthCheckType"] == "ELB" and group["HealthCheckGracePeriod"] == 1200
        assert group["LaunchTemplate"]["LaunchTemplateName"] == f"lattice-{name}"
        arns = group["TargetGroupARNs"]
        assert [tg["TargetGroupName"] for tg in elbv2.describe_target_groups(TargetGroupArns=arns)["TargetGroups"]] == [
            target_group
        ]
        subnets = ec2.describe_subnets(SubnetIds=group["VPCZoneIdentifier"].split(","))["Subnets"]
        assert {s["CidrBlock"] for s in subnets} == cidrs
        assert len(group["Instances"]) == 2
        assert {tag["Key"]: (tag["Value"], tag["PropagateAtLaunch"]) for tag in group["Tags"]}["Role"] == (name, True)
    consumer_tags = {tag["Key"]: tag["Value"] for tag in by_name["lattice-consumer"]["Tags"]}
    assert consumer_tags["blueprint:ssh-jump"] == eip
    assert "blueprint:ssh-jump" not in {tag["Key"] for tag in by_name["lattice-app"]["Tags"]}
    roles = sorted(tags_of(i).get("Role") for i in instances)
    assert roles == ["app", "app", "bastion", "consumer", "consumer"]

    # What the layer publishes for the next ones and the outputs.
    published = run.task_results("Publish key pairs, launch template ids")[0]["ansible_facts"]
    assert published["compute_instance_ids"] == {"bastion": bastion["InstanceId"]}
    assert published["compute_public_ips"] == {"bastion": eip}
    assert published["compute_private_ips"] == {"bastion": bastion["PrivateIpAddress"]}
    assert published["compute_autoscaling_group_names"] == {"consumer": "lattice-consumer", "app": "lattice-app"}
    assert sorted(published["compute_launch_template_ids"]) == ["app", "bastion", "consumer"]
    key_facts = run.task_results("Publish each key pair in EC2")[0]["results"][-1]["ansible_facts"]
    assert key_facts["compute_key_pairs"] == {
        "bastion": {"key_name": "lattice-bastion", "private_key_path": str(private_key)}
    }

    # The aws_ec2 inventory groups the instances by Role and says how to reach each.
    inventory = inventory_list(aws, "inventories/lattice/aws_ec2.yml")
    hostvars = inventory["_meta"]["hostvars"]
    members = {group: sorted(inventory.get(group, {}).get("hosts", [])) for group in ("bastion", "consumer", "app")}
    assert members["bastion"] == [f"bastion-{bastion['InstanceId']}"]
    assert len(members["consumer"]) == 2 and len(members["app"]) == 2
    assert all(host.startswith("consumer-i-") for host in members["consumer"])
    assert sorted(inventory["lattice"]["hosts"]) == sorted(sum(members.values(), []))
    assert hostvars[members["bastion"][0]]["ansible_host"] == eip
    for host in members["consumer"]:
        assert hostvars[host]["ansible_host"].startswith("172.168.")
        assert f'admin@{eip}"' in hostvars[host]["ansible_ssh_common_args"]
        assert "-i ~/.ssh/blueprint/lattice/bastion" in hostvars[host]["ansible_ssh_common_args"]
    for host in members["app"]:
        assert hostvars[host]["ansible_connection"] == "amazon.aws.aws_ssm"
        assert hostvars[host]["ansible_aws_ssm_instance_id"] == host.removeprefix("app-")
    # Loaded with its directory under the emulator's environment, it stays out: plays never try emulated hosts.
    assert list(inventory_list(aws, "inventories/lattice")["_meta"]["hostvars"]) == ["localhost"]


def check_data(aws, run) -> None:

    assert protection(aws) == {
        "key_schema": [("user_id", "HASH")],
        "attributes": {"user_id": "S"},
        "billing_mode": "PAY_PER_REQUEST",
        "point_in_time_recovery": ("ENABLED", 35),
        "deletion_protection": True,
        "key_manager": "AWS",  # the account's aws/dynamodb key
    }
    arn = aws.client("dynamodb").describe_table(TableName=TABLE)["Table"]["TableArn"]
    tags = {tag["Key"]: tag["Value"] for tag in aws.client("dynamodb").list_tags_of_resource(ResourceArn=arn)["Tags"]}
    assert {tags["blueprint:stack"], tags["blueprint:table"], tags["Name"]} == {"lattice", "users", TABLE}
    published = run.task_results("Publish the names and ARNs of the tables")[-1]["ansible_facts"]
    assert published == {"data_dynamodb_table_names": {"users": TABLE}, "data_dynamodb_table_arns": {"users": arn}}


def published(run, fact: str) -> dict:
    """A fact as the lattice layer's publishing task set it."""
    results = run.task_results("Publish service network ids")
    assert results, "the publishing task did not run"
    return results[-1]["ansible_facts"][fact]


def check_lattice(aws, run) -> None:
    lattice, ec2 = aws.client("vpc-lattice"), aws.client("ec2")
    vpcs = {vpc["CidrBlock"]: vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")}
    groups = {group["GroupName"]: group["GroupId"] for group in ec2.describe_security_groups()["SecurityGroups"]}
    service_alb = aws.client("elbv2").describe_load_balancers(Names=["lattice-service"])["LoadBalancers"][0]["LoadBalancerArn"]

    networks = lattice.list_service_networks()["items"]
    assert [network["name"] for network in networks] == ["lattice-lattice"]
    network = lattice.get_service_network(serviceNetworkIdentifier=networks[0]["id"])
    assert network["authType"] == "NONE"
    associations = lattice.list_service_network_vpc_associations(serviceNetworkIdentifier=network["id"])["items"]
    assert [association["vpcId"] for association in associations] == [vpcs["172.168.0.0/16"]]
    association = lattice.get_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=associations[0]["id"])
    assert association["securityGroupIds"] == [groups["lattice-consumer-lattice"]]

    services = lattice.list_services()["items"]
    assert [service["name"] for service in services] == ["lattice-app"]
    service = lattice.get_service(serviceIdentifier=services[0]["id"])
    groups = lattice.list_target_groups()["items"]
    assert [group["name"] for group in groups] == ["lattice-app-alb"]
    group = lattice.get_target_group(targetGroupIdentifier=groups[0]["id"])
    assert group["type"] == "ALB"
    assert (group["config"]["vpcIdentifier"], group["config"]["port"], group["config"]["protocol"]) == (
        vpcs["10.0.0.0/16"], 80, "HTTP")
    assert "healthCheck" not in group["config"] or not group["config"]["healthCheck"].get("enabled", False)
    targets = lattice.list_targets(targetGroupIdentifier=group["id"])["items"]
    assert [(target["id"], target["port"]) for target in targets] == [(service_alb, 80)]
    listeners = lattice.list_listeners(serviceIdentifier=service["id"])["items"]
    assert [(listener["name"], listener["protocol"], listener["port"]) for listener in listeners] == [("http", "HTTP", 80)]
    listener = lattice.get_listener(serviceIdentifier=service["id"], listenerIdentifier=listeners[0]["id"])
    assert listener["defaultAction"] == {"forward": {"targetGroups": [{"targetGroupIdentifier": group["id"], "weight": 100}]}}
    joined = lattice.list_service_network_service_associations(serviceNetworkIdentifier=network["id"])["items"]
    assert [item["serviceId"] for item in joined] == [service["id"]]
    assert lattice.list_tags_for_resource(resourceArn=service["arn"])["tags"]["blueprint:stack"] == "lattice"

    # Later plays and the outputs read these, keyed by the inventory's names.
    assert published(run, "lattice_service_network_ids") == {"lattice": network["id"]}
    assert published(run, "lattice_service_ids") == {"app": service["id"]}
    assert published(run, "lattice_service_arns") == {"app": service["arn"]}
    assert published(run, "lattice_service_dns_names") == {"app": service["dnsEntry"]["domainName"]}
    assert published(run, "lattice_target_group_arns") == {"app-alb": group["arn"]}


def check_outputs(aws, outputs_file, key_dir) -> None:
    """Seed 000, "주요 출력값": consumer ALB DNS name, bastion public IP, Lattice service ID, DynamoDB table name."""
    outputs = json.loads(outputs_file.read_text())["outputs"]
    elb, lattice, ec2 = aws.client("elbv2"), aws.client("vpc-lattice"), aws.client("ec2")
    consumer_alb = elb.describe_load_balancers(Names=["lattice-consumer"])["LoadBalancers"][0]
    assert outputs["consumer_alb_dns_name"] == consumer_alb["DNSName"]
    [service] = lattice.list_services()["items"]
    assert outputs["lattice_service_id"] == service["id"]
    assert outputs["lattice_service_dns_name"] == service["dnsEntry"]["domainName"]
    assert outputs["dynamodb_table_name"] == "lattice-users"
    [address] = ec2.describe_addresses(PublicIps=[outputs["bastion_public_ip"]])["Addresses"]
    assert address.get("InstanceId")
    key_path = outputs["bastion_private_key"]
    assert key_path.startswith(str(key_dir)) and oct(os.stat(key_path).st_mode & 0o777) == "0o600"


def check_ssm_transfer_bucket(aws) -> None:
    """The bucket Session Manager moves module files through: private, TLS only, every object gone after a day."""
    s3 = aws.client("s3")
    block = s3.get_public_access_block(Bucket=SSM_TRANSFERS)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    [rule] = s3.get_bucket_lifecycle_configuration(Bucket=SSM_TRANSFERS)["Rules"]
    assert (rule["ID"], rule["Filter"], rule["Expiration"], rule["Status"]) == (
        "expire-all", {"Prefix": ""}, {"Days": 1}, "Enabled")
    policy = json.loads(s3.get_bucket_policy(Bucket=SSM_TRANSFERS)["Policy"])
    assert [statement["Sid"] for statement in policy["Statement"]] == ["DenyInsecureTransport"]


def check_mode_predicts_each_layer(aws, playbook, common) -> str:
    """One --check --diff run with a change for every layer: each is predicted and shown, nothing else is reported,
    and nothing changes."""
    ec2, elbv2, lattice = aws.client("ec2"), aws.client("elbv2"), aws.client("vpc-lattice")
    certificate = import_certificate(aws.client("acm"))
    changed_groups = [
        {"name": "consumer-app", "vpc": "consumer", "port": 8000, "health_check": {"path": "/healthz"}},
        {"name": "app-server", "vpc": "service", "port": 8000, "health_check": {"path": "/health"}},
    ]
    changed_table = {"name": "users", "table_name": TABLE, "hash_key": {"name": "user_id"},
                     "recovery_period_days": 7, "deletion_protection": False}  # fmt: skip
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke",
                                                      "Resource": "*"}]}
    check = playbook("site.yml", "--check", "--diff", extra_vars={
        **common,
        "blueprint_admin_cidr": "198.51.100.0/24",
        "loadbalancer_target_groups": changed_groups,
        "lattice_certificate_arn": certificate,
        "compute_root_volume_size": 10,
        "data_dynamodb_tables": [changed_table],
        "lattice_auth_policy": policy,
    })
    assert check.returncode == 0, check.failure_messages()
    assert sorted({task.split(" [")[0] for task in check.changed_tasks()}) == [
        "blueprint.aws.compute : Ensure each auto scaling group runs its launch template in its subnets and target groups",
        "blueprint.aws.compute : Ensure each launch template requires IMDSv2 and encrypts its root volume",
        "blueprint.aws.data : Ensure each table keeps point-in-time recovery, refuses deletion and is encrypted with its key",
        "blueprint.aws.lattice : Ensure the service networks exist with their auth type and auth policy",
        "blueprint.aws.loadbalancer : Ensure the load balancers exist with their subnets, security groups, attributes and listeners",
        "blueprint.aws.loadbalancer : Predict what converging each target group would change",
        "blueprint.aws.security : Ensure each security group carries exactly its rules (pass 2)",
    ]

    # security: the bastion's SSH source, shown and not applied.
    pass2 = check.task_results("carries exactly its rules")
    assert pass2 and pass2[0].get("changed")
    bastion = next(item for item in pass2[0]["results"] if item["item"]["name"] == "bastion")
    assert bastion["changed"] and "198.51.100.0/24" in str(bastion["diff"])
    after = stack_groups(ec2)["lattice-bastion"]["IpPermissions"]
    assert [r["CidrIp"] for r in after[0]["IpRanges"]] == ["203.0.113.0/24"]

    # loadbalancer: a new health-check path and a certificate.
    predicted = {item["item"]["item"]["name"]: item for item in check.task_results("Predict what converging each target group")[0]["results"]}
    assert predicted["consumer-app"]["changed"] and '"/health" -> "/healthz"' in predicted["consumer-app"]["msg"]
    assert not predicted["app-server"]["changed"]
    alb_check = {item["item"]["name"]: item for item in check.task_results("Ensure the load balancers exist")[0]["results"]}
    assert alb_check["consumer"]["changed"] and not alb_check["service"]["changed"]
    assert stack_target_groups(elbv2)["lattice-consumer-app"]["HealthCheckPath"] == "/health"
    consumer = stack_albs(elbv2)["lattice-consumer"]
    assert list(listeners_by_port(elbv2, consumer)) == [80]

    # compute: a bigger root volume would take new template versions, and the groups would follow.
    assert latest_template_data(ec2, "lattice-app")["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 8
    assert (
        ec2.describe_launch_templates(LaunchTemplateNames=["lattice-app"])["LaunchTemplates"][0]["LatestVersionNumber"]
        == 1
    )

    # data: a week of recovery and no deletion protection.
    [predicted_table] = check.task_results("keeps point-in-time recovery")[0]["results"]
    assert predicted_table["changed"]
    assert predicted_table["diff"]["before"]["deletion_protection"] is True
    assert (predicted_table["diff"]["after"]["deletion_protection"],
            predicted_table["diff"]["after"]["recovery_period_days"]) == (False, 7)
    assert protection(aws)["deletion_protection"] is True
    assert protection(aws)["point_in_time_recovery"] == ("ENABLED", 35)

    # lattice: the inventory asks for an auth policy, so AWS_IAM with it.
    predicted_network = check.task_results("Ensure the service networks exist")[0]["results"][0]
    assert "AWS_IAM" in str(predicted_network["diff"]) and "vpc-lattice-svcs:Invoke" in str(predicted_network["diff"])
    [network] = lattice.list_service_networks()["items"]
    assert lattice.get_service_network(serviceNetworkIdentifier=network["id"])["authType"] == "NONE"
    return certificate


def check_https(aws, playbook, common, certificate, target_groups) -> None:
    """With a certificate: HTTPS on 443 under a TLS 1.2/1.3 policy, and HTTP redirects there."""
    elbv2 = aws.client("elbv2")
    https = playbook("site.yml", "--tags", "loadbalancer", extra_vars={**common, "lattice_certificate_arn": certificate})
    assert https.returncode == 0, https.failure_messages()
    consumer_listeners = listeners_by_port(elbv2, stack_albs(elbv2)["lattice-consumer"])
    assert sorted(consumer_listeners) == [80, 443]
    assert consumer_listeners[80]["DefaultActions"] == [{"Type": "redirect", "RedirectConfig": {
        "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}",
        "StatusCode": "HTTP_301"}}]
    secure = consumer_listeners[443]
    assert (secure["Protocol"], secure["SslPolicy"]) == ("HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06")
    assert secure["Certificates"] == [{"CertificateArn": certificate}]
    assert secure["DefaultActions"][0]["TargetGroupArn"] == target_groups["lattice-consumer-app"]["TargetGroupArn"]


def test_whole_stack_life_cycle(playbook, aws, tmp_path):
    outputs_file = tmp_path / "outputs.json"
    key_dir = tmp_path / "keys" / "lattice"
    common = {"outputs_file": str(outputs_file), "compute_key_dir": str(key_dir)}
    ec2, autoscaling = aws.client("ec2"), aws.client("autoscaling")

    converge = playbook("site.yml", extra_vars=common)
    assert converge.returncode == 0, converge.failure_messages() or converge.stderr[-2000:]
    check_network_and_security(aws)
    target_groups = check_loadbalancer(aws, converge)
    check_compute(aws, converge, key_dir)
    check_data(aws, converge)
    check_lattice(aws, converge)
    check_ssm_transfer_bucket(aws)
    check_outputs(aws, outputs_file, key_dir)

    again = playbook("site.yml", extra_vars=common)
    assert again.returncode == 0, again.failure_messages()
    assert again.changed == 0, again.changed_tasks()

    certificate = check_mode_predicts_each_layer(aws, playbook, common)
    check_https(aws, playbook, common, certificate, target_groups)

    # The compute layer's tear-down: its resources go, the controller's key stays (README), the layers under it
    # are untouched (their tear-down is theirs).
    compute_down = playbook("teardown.yml", "--tags", "compute", extra_vars=common)
    assert compute_down.returncode == 0, compute_down.failure_messages()
    assert autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"] == []
    assert stack_instances(ec2) == []
    assert ec2.describe_addresses(Filters=[{"Name": "tag-key", "Values": ["blueprint:instance"]}])["Addresses"] == []
    assert ec2.describe_launch_templates()["LaunchTemplates"] == []
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    assert (key_dir / "bastion").exists()
    assert len([v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]) == 2
    assert sorted(stack_albs(aws.client("elbv2"))) == ["lattice-consumer", "lattice-service"]

    # Without the confirmation, tear-down takes everything apart but the users table (the transfer bucket holds
    # nothing anyone would miss, so it goes), and says which variable would delete the table.
    keep = playbook("teardown.yml", extra_vars=common)
    assert keep.returncode == 0, keep.failure_messages()
    [notice] = keep.task_results("Keep the DynamoDB tables")
    assert "blueprint_confirm_data_destruction=true" in notice["msg"] and TABLE in notice["msg"]
    left = stack_leftovers(aws)
    assert left.pop("tables") == [TABLE]
    assert all(value == [] for value in left.values()), left
    table = aws.client("dynamodb").describe_table(TableName=TABLE)["Table"]
    assert table["DeletionProtectionEnabled"] is True

    gone = playbook("teardown.yml", extra_vars={**common, "blueprint_confirm_data_destruction": True})
    assert gone.returncode == 0, gone.failure_messages()
    assert all(value == [] for value in stack_leftovers(aws).values()), stack_leftovers(aws)
    assert tables(aws) == []
    assert live_nat_gateways(ec2) == [] and ec2.describe_addresses()["Addresses"] == []
    assert aws.client("iam").list_instance_profiles()["InstanceProfiles"] == []

    nothing = playbook("teardown.yml", extra_vars={**common, "blueprint_confirm_data_destruction": True})
    assert nothing.returncode == 0 and nothing.changed == 0, nothing.changed_tasks() or nothing.failure_messages()
