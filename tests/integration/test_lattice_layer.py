# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lattice stack's lattice layer on the emulator: converge, re-run, check, tear down; bad input.

The layer runs alone (``--tags lattice``) on the stack's own inventory. What earlier layers would have made is
faked with boto3 and tagged as they tag it, so their publishing (tagged always) finds it: the two VPCs (network
layer) and the consumer VPC's Lattice security group (security layer). The service ALB comes in as the
loadbalancer layer's fact ``loadbalancer_arns``, passed as an extra variable.
"""

from __future__ import annotations

import pytest

LAYER = ("--tags", "lattice")
STACK = "lattice"


def fake_upstream(aws) -> dict:
    """The VPCs, security group and internal ALB earlier layers make; returns their ids."""
    ec2 = aws.client("ec2")
    vpcs = {}
    for name, cidr in (("consumer", "172.168.0.0/16"), ("service", "10.0.0.0/16")):
        tags = [{"Key": "blueprint:stack", "Value": STACK}, {"Key": "blueprint:vpc", "Value": name},
                {"Key": "Name", "Value": f"{STACK}-{name}"}]
        vpcs[name] = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=[{"ResourceType": "vpc", "Tags": tags}])["Vpc"]["VpcId"]
    group = ec2.create_security_group(
        GroupName=f"{STACK}-consumer-lattice", Description="consumer servers to the service network", VpcId=vpcs["consumer"],
        TagSpecifications=[{"ResourceType": "security-group", "Tags": [
            {"Key": "blueprint:stack", "Value": STACK}, {"Key": "blueprint:group", "Value": "consumer-lattice"}]}],
    )["GroupId"]  # fmt: skip
    subnets = [
        ec2.create_subnet(VpcId=vpcs["service"], CidrBlock=f"10.0.{index + 2}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for index, zone in enumerate(("ap-northeast-2a", "ap-northeast-2b"))
    ]  # fmt: skip
    alb = aws.client("elbv2").create_load_balancer(Name=f"{STACK}-service", Subnets=subnets, Scheme="internal",
                                                   Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    return {"vpcs": vpcs, "group": group, "alb": alb}


def published(run, fact: str) -> dict:
    """A fact as the layer's publishing task set it."""
    results = run.task_results("Publish service network ids")
    assert results, "the publishing task did not run"
    return results[-1]["ansible_facts"][fact]


def test_converge_rerun_check_and_teardown(playbook, aws):
    upstream = fake_upstream(aws)
    lattice = aws.client("vpc-lattice")
    facts = {"loadbalancer_arns": {"service": upstream["alb"]}}

    first = playbook("site.yml", *LAYER, extra_vars=facts)
    assert first.returncode == 0, first.failure_messages() or first.stderr
    assert first.changed > 0

    networks = lattice.list_service_networks()["items"]
    assert [network["name"] for network in networks] == ["lattice-lattice"]
    network = lattice.get_service_network(serviceNetworkIdentifier=networks[0]["id"])
    assert network["authType"] == "NONE"
    associations = lattice.list_service_network_vpc_associations(serviceNetworkIdentifier=network["id"])["items"]
    assert [association["vpcId"] for association in associations] == [upstream["vpcs"]["consumer"]]
    association = lattice.get_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=associations[0]["id"])
    assert association["securityGroupIds"] == [upstream["group"]]

    services = lattice.list_services()["items"]
    assert [service["name"] for service in services] == ["lattice-app"]
    service = lattice.get_service(serviceIdentifier=services[0]["id"])
    groups = lattice.list_target_groups()["items"]
    assert [group["name"] for group in groups] == ["lattice-app-alb"]
    group = lattice.get_target_group(targetGroupIdentifier=groups[0]["id"])
    assert group["type"] == "ALB"
    assert (group["config"]["vpcIdentifier"], group["config"]["port"], group["config"]["protocol"]) == (
        upstream["vpcs"]["service"], 80, "HTTP")
    assert "healthCheck" not in group["config"] or not group["config"]["healthCheck"].get("enabled", False)
    targets = lattice.list_targets(targetGroupIdentifier=group["id"])["items"]
    assert [(target["id"], target["port"]) for target in targets] == [(upstream["alb"], 80)]
    listeners = lattice.list_listeners(serviceIdentifier=service["id"])["items"]
    assert [(listener["name"], listener["protocol"], listener["port"]) for listener in listeners] == [("http", "HTTP", 80)]
    listener = lattice.get_listener(serviceIdentifier=service["id"], listenerIdentifier=listeners[0]["id"])
    assert listener["defaultAction"] == {"forward": {"targetGroups": [{"targetGroupIdentifier": group["id"], "weight": 100}]}}
    joined = lattice.list_service_network_service_associations(serviceNetworkIdentifier=network["id"])["items"]
    assert [item["serviceId"] for item in joined] == [service["id"]]
    assert lattice.list_tags_for_resource(resourceArn=service["arn"])["tags"]["blueprint:stack"] == STACK

    # Later plays and the outputs read these, keyed by the inventory's names.
    assert published(first, "lattice_service_network_ids") == {"lattice": network["id"]}
    assert published(first, "lattice_service_ids") == {"app": service["id"]}
    assert published(first, "lattice_service_arns") == {"app": service["arn"]}
    assert published(first, "lattice_service_dns_names") == {"app": service["dnsEntry"]["domainName"]}
    assert published(first, "lattice_target_group_arns") == {"app-alb": group["arn"]}

    second = playbook("site.yml", *LAYER, extra_vars=facts)
    assert second.returncode == 0, second.failure_messages()
    assert second.changed == 0, second.changed_tasks()

    # The inventory asks for an auth policy: check mode predicts AWS_IAM with it, shows it, and alters nothing.
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke",
                                                      "Resource": "*"}]}
    check = playbook("site.yml", *LAYER, "--check", "--diff", extra_vars={**facts, "lattice_auth_policy": policy})
    assert check.returncode == 0, check.failure_messages()
    assert check.changed_tasks() == ["blueprint.aws.lattice : Ensure the service networks exist with their auth type and auth policy ['lattice']"]
    predicted = check.task_results("Ensure the service networks exist")[0]["results"][0]
    assert "AWS_IAM" in str(predicted["diff"]) and "vpc-lattice-svcs:Invoke" in str(predicted["diff"])
    assert lattice.get_service_network(serviceNetworkIdentifier=network["id"])["authType"] == "NONE"

    # The tear-down runs before the network layer publishes: the layer finds the associated VPC by its tags.
    down = playbook("teardown.yml", *LAYER, extra_vars=facts)
    assert down.returncode == 0, down.failure_messages()
    assert lattice.list_service_networks()["items"] == []
    assert lattice.list_services()["items"] == []
    assert lattice.list_target_groups()["items"] == []


APP = {"name": "app", "service_network": "lattice", "target_groups": [
    {"name": "app-alb", "type": "ALB", "vpc": "service", "alb": "service", "port": 80}],
    "listeners": [{"name": "http", "port": 80, "default_action": {"forward": "app-alb"}}]}


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"lattice_services": [{**APP, "name": "a-service-name-far-longer-than-forty-chars"}]},
         'lattice_services[0] (a-service-name-far-longer-than-forty-chars).name: the service name'
         ' "lattice-a-service-name-far-longer-than-forty-chars" must be 3 to 40'),
        ({"lattice_services": [{**APP, "target_groups": [{**APP["target_groups"][0], "health_check": {"path": "/health"}}]}]},
         "lattice_services[0] (app).target_groups[0] (app-alb).health_check: an ALB target group has none"),
        ({"lattice_services": [{**APP, "listeners": [{"name": "http", "default_action": {"forward": "app"}}]}]},
         'lattice_services[0] (app).listeners[0] (http).default_action.forward: "app" is not a target group of the service'),
        ({"lattice_service_networks": [{"name": "lattice", "vpc_associations": [
            {"vpc": "consumer", "security_groups": ["app-server"]}]}]},
         'lattice_service_networks[0] (lattice).vpc_associations[0].security_groups: "app-server" belongs to VPC'
         ' "service", not "consumer"'),
    ],
    ids=["long-service-name", "alb-health-check", "unknown-target-group", "group-of-other-vpc"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused(extra_vars, expected)
