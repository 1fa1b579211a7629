# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator runs the whole VPC Lattice lifecycle as AWS does (botocore's model and the AWS API reference)."""

from __future__ import annotations

import re

import boto3
import botocore.session
import moto_lattice
import pytest
from botocore.exceptions import ClientError
from emulator import FAKE_CREDENTIALS, free_port
from moto import mock_aws
from moto.core.utils import camelcase_to_underscores
from moto.server import ThreadedMotoServer
from moto.vpclattice import urls
from moto.vpclattice.models import VPCLatticeBackend
from moto.vpclattice.responses import VPCLatticeResponse

MODEL = botocore.session.get_session().get_service_model("vpc-lattice")
ADDED = [
    "UpdateServiceNetwork", "DeleteServiceNetwork", "UpdateService", "DeleteService", "UpdateTargetGroup",
    "DeleteTargetGroup", "RegisterTargets", "DeregisterTargets", "ListTargets", "UpdateListener", "DeleteListener",
    "GetRule", "ListRules", "UpdateRule", "DeleteRule", "BatchUpdateRule", "GetServiceNetworkVpcAssociation",
    "UpdateServiceNetworkVpcAssociation", "DeleteServiceNetworkVpcAssociation", "DeleteServiceNetworkServiceAssociation",
]  # fmt: skip
FORWARD = {"forward": {"targetGroups": [{"targetGroupIdentifier": "", "weight": 100}]}}
PATH = {"httpMatch": {"pathMatch": {"match": {"prefix": "/api"}}}}


@pytest.fixture(name="lattice")
def fixture_lattice():
    moto_lattice.apply()
    with mock_aws():
        yield boto3.client("vpc-lattice", region_name="us-east-1")


def _code(error: pytest.ExceptionInfo) -> tuple[str, int]:
    response = error.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def _matches(shape: str, value: str) -> bool:
    return re.fullmatch(MODEL.shape_for(shape).metadata["pattern"], value) is not None


def _forward(target_group: str) -> dict:
    return {"forward": {"targetGroups": [{"targetGroupIdentifier": target_group, "weight": 100}]}}


def _service_with_listener(lattice, default_action=None):
    service = lattice.create_service(name="orders")
    listener = lattice.create_listener(
        serviceIdentifier=service["id"], name="http", protocol="HTTP",
        defaultAction=default_action or {"fixedResponse": {"statusCode": 404}},
    )  # fmt: skip
    return service, listener


def _target_group(lattice, name="orders-ip", **config):
    config = {"port": 8080, "protocol": "HTTP", "vpcIdentifier": "vpc-0123456789abcdef0", **config}
    return lattice.create_target_group(name=name, type="IP", config=config)


def _assert_tags(lattice, arn, created):
    assert lattice.list_tags_for_resource(resourceArn=arn)["tags"] == created
    lattice.tag_resource(resourceArn=arn, tags={"team": "payments"})
    lattice.untag_resource(resourceArn=arn, tagKeys=list(created))
    assert lattice.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "payments"}


def test_apply_is_idempotent_and_covers_every_added_operation():
    first = moto_lattice.apply()
    routes, get_service = dict(urls.url_paths), VPCLatticeBackend.get_service
    assert moto_lattice.apply() == first
    assert urls.url_paths == routes and VPCLatticeBackend.get_service is get_service
    for operation in ADDED:
        assert operation in MODEL.operation_names
        assert callable(getattr(VPCLatticeResponse, camelcase_to_underscores(operation)))


def test_ids_and_arns_follow_the_botocore_patterns(lattice):
    network = lattice.create_service_network(name="shop")
    service, listener = _service_with_listener(lattice)
    group = _target_group(lattice)
    rule = lattice.create_rule(
        serviceIdentifier=service["arn"], listenerIdentifier=listener["arn"], name="api", priority=10, match=PATH,
        action=_forward(group["id"]),
    )  # fmt: skip
    assoc = lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=network["arn"], vpcIdentifier="vpc-0123456789abcdef0"
    )
    for shape, value in (
        ("ServiceNetworkId", network["id"]), ("ServiceNetworkArn", network["arn"]), ("ServiceId", service["id"]),
        ("ServiceArn", service["arn"]), ("ListenerId", listener["id"]), ("ListenerArn", listener["arn"]),
        ("TargetGroupId", group["id"]), ("TargetGroupArn", group["arn"]), ("RuleId", rule["id"]),
        ("RuleArn", rule["arn"]), ("ServiceNetworkVpcAssociationId", assoc["id"]),
        ("ServiceNetworkVpcAssociationArn", assoc["arn"]),
    ):  # fmt: skip
        assert _matches(shape, value), (shape, value)
    assert rule["arn"] == f"{listener['arn']}/rule/{rule['id']}"


def test_service_network_lifecycle(lattice):
    network = lattice.create_service_network(name="shop", tags={"env": "test"})
    assert network["authType"] == "NONE"
    updated = lattice.update_service_network(serviceNetworkIdentifier=network["arn"], authType="AWS_IAM")
    assert updated["authType"] == "AWS_IAM"
    got = lattice.get_service_network(serviceNetworkIdentifier=network["id"])
    assert (got["authType"], got["numberOfAssociatedVPCs"], got["numberOfAssociatedServices"]) == ("AWS_IAM", 0, 0)
    assert "createdAt" in got and "lastUpdatedAt" in got
    assert [item["id"] for item in lattice.list_service_networks()["items"]] == [network["id"]]
    _assert_tags(lattice, network["arn"], {"env": "test"})
    lattice.delete_service_network(serviceNetworkIdentifier=network["arn"])
    with pytest.raises(lattice.exceptions.ResourceNotFoundException) as error:
        lattice.get_service_network(serviceNetworkIdentifier=network["id"])
    assert _code(error) == ("ResourceNotFoundException", 404)
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.list_tags_for_resource(resourceArn=network["arn"])


def test_service_network_delete_conflicts_while_associations_exist(lattice):
    network = lattice.create_service_network(name="shop")
    service = lattice.create_service(name="orders")
    vpc_assoc = lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=network["id"], vpcIdentifier="vpc-0123456789abcdef0"
    )
    svc_assoc = lattice.create_service_network_service_association(
        serviceNetworkIdentifier=network["id"], serviceIdentifier=service["id"]
    )
    counts = lattice.get_service_network(serviceNetworkIdentifier=network["id"])
    assert (counts["numberOfAssociatedVPCs"], counts["numberOfAssociatedServices"]) == (1, 1)
    with pytest.raises(lattice.exceptions.ConflictException) as error:
        lattice.delete_service_network(serviceNetworkIdentifier=network["id"])
    assert _code(error) == ("ConflictException", 409)
    assert error.value.response["resourceId"] == vpc_assoc["id"]
    lattice.delete_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=vpc_assoc["id"])
    with pytest.raises(lattice.exceptions.ConflictException):
        lattice.delete_service_network(serviceNetworkIdentifier=network["id"])
    lattice.delete_service_network_service_association(serviceNetworkServiceAssociationIdentifier=svc_assoc["arn"])
    lattice.delete_service_network(serviceNetworkIdentifier=network["id"])
    assert lattice.list_service_networks()["items"] == []


def test_service_lifecycle(lattice):
    service = lattice.create_service(name="orders", tags={"env": "test"})
    assert service["authType"] == "NONE" and "certificateArn" not in service and "customDomainName" not in service
    assert re.fullmatch(
        rf"orders-{service['id'][4:]}\.[0-9a-f]{{7}}\.vpc-lattice-svcs\.us-east-1\.on\.aws",
        service["dnsEntry"]["domainName"],
    )
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    updated = lattice.update_service(serviceIdentifier=service["arn"], authType="AWS_IAM", certificateArn=certificate)
    assert (updated["authType"], updated["certificateArn"]) == ("AWS_IAM", certificate)
    got = lattice.get_service(serviceIdentifier=service["id"])
    assert (got["authType"], got["certificateArn"], got["status"]) == ("AWS_IAM", certificate, "ACTIVE")
    assert [item["name"] for item in lattice.list_services()["items"]] == ["orders"]
    _assert_tags(lattice, service["arn"], {"env": "test"})
    deleted = lattice.delete_service(serviceIdentifier=service["id"])
    assert (deleted["id"], deleted["status"]) == (service["id"], "DELETE_IN_PROGRESS")
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.get_service(serviceIdentifier=service["id"])


def test_service_delete_conflicts_while_associated_and_takes_its_listeners(lattice):
    network = lattice.create_service_network(name="shop")
    service, listener = _service_with_listener(lattice)
    assoc = lattice.create_service_network_service_association(
        serviceNetworkIdentifier=network["id"], serviceIdentifier=service["id"]
    )
    with pytest.raises(lattice.exceptions.ConflictException):
        lattice.delete_service(serviceIdentifier=service["id"])
    lattice.delete_service_network_service_association(serviceNetworkServiceAssociationIdentifier=assoc["id"])
    lattice.delete_service(serviceIdentifier=service["id"])
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.list_tags_for_resource(resourceArn=listener["arn"])


def test_target_group_lifecycle(lattice):
    group = lattice.create_target_group(
        name="orders-ip", type="IP", tags={"env": "test"},
        config={"port": 8080, "protocol": "HTTP", "vpcIdentifier": "vpc-0123456789abcdef0",
                "healthCheck": {"enabled": True, "path": "/", "healthyThresholdCount": 5}},
    )  # fmt: skip
    updated = lattice.update_target_group(
        targetGroupIdentifier=group["arn"], healthCheck={"path": "/health", "healthCheckIntervalSeconds": 10}
    )
    expected = {"enabled": True, "path": "/health", "healthyThresholdCount": 5, "healthCheckIntervalSeconds": 10}
    assert updated["config"]["healthCheck"] == expected
    got = lattice.get_target_group(targetGroupIdentifier=group["id"])
    assert got["config"]["healthCheck"] == expected and got["serviceArns"] == []
    assert [item["id"] for item in lattice.list_target_groups()["items"]] == [group["id"]]
    _assert_tags(lattice, group["arn"], {"env": "test"})
    deleted = lattice.delete_target_group(targetGroupIdentifier=group["arn"])
    assert (deleted["id"], deleted["status"]) == (group["id"], "DELETE_IN_PROGRESS")
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.get_target_group(targetGroupIdentifier=group["id"])


def test_target_group_delete_conflicts_while_a_listener_forwards_to_it(lattice):
    group = _target_group(lattice)
    service, listener = _service_with_listener(lattice, default_action=_forward(group["arn"]))
    assert lattice.get_target_group(targetGroupIdentifier=group["id"])["serviceArns"] == [service["arn"]]
    with pytest.raises(lattice.exceptions.ConflictException):
        lattice.delete_target_group(targetGroupIdentifier=group["id"])
    lattice.delete_listener(serviceIdentifier=service["id"], listenerIdentifier=listener["id"])
    lattice.delete_target_group(targetGroupIdentifier=group["id"])


def test_targets_register_list_and_deregister(lattice):
    group = _target_group(lattice)
    answer = lattice.register_targets(
        targetGroupIdentifier=group["id"], targets=[{"id": "10.0.1.10"}, {"id": "10.0.1.11", "port": 9090}]
    )
    assert answer["successful"] == [{"id": "10.0.1.10", "port": 8080}, {"id": "10.0.1.11", "port": 9090}]
    assert answer["unsuccessful"] == []
    listed = lattice.list_targets(targetGroupIdentifier=group["arn"])["items"]
    assert {(item["id"], item["port"], item["status"]) for item in listed} == {
        ("10.0.1.10", 8080, "UNUSED"), ("10.0.1.11", 9090, "UNUSED")
    }  # fmt: skip
    _service_with_listener(lattice, default_action=_forward(group["id"]))
    listed = lattice.list_targets(targetGroupIdentifier=group["id"], targets=[{"id": "10.0.1.10"}])["items"]
    assert listed == [{"id": "10.0.1.10", "port": 8080, "status": "HEALTHY"}]
    lattice.update_target_group(targetGroupIdentifier=group["id"], healthCheck={"enabled": False})
    assert {item["status"] for item in lattice.list_targets(targetGroupIdentifier=group["id"])["items"]} == {
        "UNAVAILABLE"
    }
    first = lattice.list_targets(targetGroupIdentifier=group["id"], maxResults=1)
    assert len(first["items"]) == 1 and first["nextToken"]
    pages = lattice.get_paginator("list_targets").paginate(
        targetGroupIdentifier=group["id"], PaginationConfig={"PageSize": 1}
    )
    assert len([item for page in pages for item in page["items"]]) == 2
    gone = lattice.deregister_targets(targetGroupIdentifier=group["id"], targets=[{"id": "10.0.1.10"}])
    assert gone["successful"] == [{"id": "10.0.1.10", "port": 8080}]
    assert [item["id"] for item in lattice.list_targets(targetGroupIdentifier=group["id"])["items"]] == ["10.0.1.11"]


def test_listener_lifecycle_and_its_default_rule(lattice):
    service = lattice.create_service(name="orders")
    listener = lattice.create_listener(
        serviceIdentifier=service["arn"], name="http", protocol="HTTP", tags={"env": "test"},
        defaultAction={"fixedResponse": {"statusCode": 404}},
    )  # fmt: skip
    assert listener["port"] == 80
    group = _target_group(lattice)
    updated = lattice.update_listener(
        serviceIdentifier=service["id"], listenerIdentifier=listener["arn"], defaultAction=_forward(group["id"])
    )
    assert updated["defaultAction"] == _forward(group["id"])
    got = lattice.get_listener(serviceIdentifier=service["id"], listenerIdentifier=listener["id"])
    assert got["defaultAction"] == _forward(group["id"])
    assert [item["id"] for item in lattice.list_listeners(serviceIdentifier=service["id"])["items"]] == [listener["id"]]
    rules = lattice.list_rules(serviceIdentifier=service["id"], listenerIdentifier=listener["id"])["items"]
    assert [rule["isDefault"] for rule in rules] == [True]
    default = lattice.get_rule(
        serviceIdentifier=service["id"], listenerIdentifier=listener["id"], ruleIdentifier=rules[0]["arn"]
    )
    assert default["action"] == _forward(group["id"]) and "priority" not in default
    with pytest.raises(lattice.exceptions.ValidationException):
        lattice.delete_rule(
            serviceIdentifier=service["id"], listenerIdentifier=listener["id"], ruleIdentifier=default["id"]
        )
    _assert_tags(lattice, listener["arn"], {"env": "test"})
    lattice.delete_listener(serviceIdentifier=service["id"], listenerIdentifier=listener["id"])
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.get_listener(serviceIdentifier=service["id"], listenerIdentifier=listener["id"])
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.get_rule(
            serviceIdentifier=service["id"], listenerIdentifier=listener["id"], ruleIdentifier=default["id"]
        )


def test_rules_create_get_update_list_tag_and_delete(lattice):
    service, listener = _service_with_listener(lattice)
    group = _target_group(lattice)
    where = {"serviceIdentifier": service["id"], "listenerIdentifier": listener["id"]}
    api = lattice.create_rule(
        **where, name="api", priority=10, match=PATH, action=_forward(group["id"]), tags={"env": "test"}
    )
    web = lattice.create_rule(
        **where, name="web", priority=20, match=PATH, action={"fixedResponse": {"statusCode": 404}}
    )
    got = lattice.get_rule(**where, ruleIdentifier=api["arn"])
    assert (got["name"], got["priority"], got["match"], got["isDefault"]) == ("api", 10, PATH, False)
    with pytest.raises(lattice.exceptions.ConflictException):
        lattice.create_rule(**where, name="dup", priority=10, match=PATH, action=_forward(group["id"]))
    with pytest.raises(lattice.exceptions.ConflictException):
        lattice.update_rule(**where, ruleIdentifier=web["id"], priority=10)
    moved = {"httpMatch": {"pathMatch": {"match": {"exact": "/v2"}}}}
    updated = lattice.update_rule(**where, ruleIdentifier=web["id"], priority=30, match=moved)
    assert (updated["priority"], updated["match"]) == (30, moved)
    names = [(rule["name"], rule.get("priority")) for rule in lattice.list_rules(**where)["items"]]
    assert names == [("api", 10), ("web", 30), ("default", None)]
    swapped = lattice.batch_update_rule(
        **where, rules=[{"ruleIdentifier": api["id"], "priority": 30}, {"ruleIdentifier": web["arn"], "priority": 10},
                        {"ruleIdentifier": "rule-0123456789abcdef0", "priority": 50}],
    )  # fmt: skip
    assert sorted((rule["name"], rule["priority"]) for rule in swapped["successful"]) == [("api", 30), ("web", 10)]
    assert [(item["ruleIdentifier"], item["failureCode"]) for item in swapped["unsuccessful"]] == [
        ("rule-0123456789abcdef0", "ResourceNotFoundException")
    ]
    _assert_tags(lattice, api["arn"], {"env": "test"})
    lattice.delete_rule(**where, ruleIdentifier=api["id"])
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.get_rule(**where, ruleIdentifier=api["id"])
    assert [rule["name"] for rule in lattice.list_rules(**where)["items"]] == ["web", "default"]


def test_service_network_vpc_association_lifecycle(lattice):
    network = lattice.create_service_network(name="shop")
    vpc = "vpc-0123456789abcdef0"
    assoc = lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=network["arn"], vpcIdentifier=vpc, securityGroupIds=["sg-0123456789abcdef0"],
        tags={"env": "test"},
    )  # fmt: skip
    assert (assoc["status"], assoc["createdBy"]) == ("ACTIVE", "123456789012")
    got = lattice.get_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=assoc["arn"])
    assert (got["serviceNetworkId"], got["vpcId"], got["securityGroupIds"]) == (
        network["id"],
        vpc,
        ["sg-0123456789abcdef0"],
    )
    updated = lattice.update_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=assoc["id"], securityGroupIds=["sg-0fedcba9876543210"]
    )
    assert updated["securityGroupIds"] == ["sg-0fedcba9876543210"]
    for filters in ({"serviceNetworkIdentifier": network["arn"]}, {"vpcIdentifier": vpc}):
        assert [item["id"] for item in lattice.list_service_network_vpc_associations(**filters)["items"]] == [
            assoc["id"]
        ]
    assert lattice.list_service_network_vpc_associations(vpcIdentifier="vpc-0fedcba9876543210")["items"] == []
    other = lattice.create_service_network(name="other")
    with pytest.raises(lattice.exceptions.ConflictException):
        lattice.create_service_network_vpc_association(serviceNetworkIdentifier=other["id"], vpcIdentifier=vpc)
    _assert_tags(lattice, assoc["arn"], {"env": "test"})
    deleted = lattice.delete_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=assoc["arn"])
    assert (deleted["id"], deleted["status"]) == (assoc["id"], "DELETE_IN_PROGRESS")
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.get_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=assoc["id"])


def test_service_network_service_association_lifecycle(lattice):
    network = lattice.create_service_network(name="shop")
    service = lattice.create_service(name="orders")
    assoc = lattice.create_service_network_service_association(
        serviceNetworkIdentifier=network["arn"], serviceIdentifier=service["arn"], tags={"env": "test"}
    )
    assert assoc["dnsEntry"] == service["dnsEntry"] and "customDomainName" not in assoc
    got = lattice.get_service_network_service_association(serviceNetworkServiceAssociationIdentifier=assoc["arn"])
    assert (got["serviceName"], got["serviceArn"], got["serviceNetworkName"], got["serviceNetworkArn"]) == (
        "orders", service["arn"], "shop", network["arn"]
    )  # fmt: skip
    for filters in ({"serviceNetworkIdentifier": network["arn"]}, {"serviceIdentifier": service["arn"]}):
        assert [item["id"] for item in lattice.list_service_network_service_associations(**filters)["items"]] == [
            assoc["id"]
        ]
    with pytest.raises(lattice.exceptions.ConflictException):
        lattice.create_service_network_service_association(
            serviceNetworkIdentifier=network["id"], serviceIdentifier=service["id"]
        )
    _assert_tags(lattice, assoc["arn"], {"env": "test"})
    deleted = lattice.delete_service_network_service_association(serviceNetworkServiceAssociationIdentifier=assoc["id"])
    assert (deleted["id"], deleted["status"]) == (assoc["id"], "DELETE_IN_PROGRESS")
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.get_service_network_service_association(serviceNetworkServiceAssociationIdentifier=assoc["id"])


def test_lists_page_with_the_tokens_botocore_sends(lattice):
    networks = [lattice.create_service_network(name=f"shop-{index}")["id"] for index in range(3)]
    first = lattice.list_service_networks(maxResults=2)
    assert len(first["items"]) == 2 and first["nextToken"]
    pages = lattice.get_paginator("list_service_networks").paginate(PaginationConfig={"PageSize": 1})
    assert [item["id"] for page in pages for item in page["items"]] == networks
    for index in range(3):
        lattice.create_access_log_subscription(
            resourceIdentifier=f"arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/{networks[0]}",
            destinationArn=f"arn:aws:s3:::access-logs-{index}",
        )  # fmt: skip
    pages = lattice.get_paginator("list_access_log_subscriptions").paginate(
        resourceIdentifier=networks[0], PaginationConfig={"PageSize": 2}
    )
    assert [len(page["items"]) for page in pages] == [2, 1]


def test_tags_on_an_unknown_arn_are_refused(lattice):
    arn = "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0"
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.tag_resource(resourceArn=arn, tags={"env": "test"})


def test_deleting_a_service_network_takes_its_access_log_subscriptions(lattice):
    network = lattice.create_service_network(name="shop")
    sub = lattice.create_access_log_subscription(
        resourceIdentifier=network["arn"], destinationArn="arn:aws:s3:::access-logs", tags={"env": "test"}
    )
    lattice.delete_service_network(serviceNetworkIdentifier=network["id"])
    with pytest.raises(lattice.exceptions.ResourceNotFoundException):
        lattice.get_access_log_subscription(accessLogSubscriptionIdentifier=sub["id"])


def test_threaded_server_serves_the_added_operations_over_http():
    moto_lattice.apply()
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        lattice = boto3.client(
            "vpc-lattice", region_name="eu-west-1", endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )  # fmt: skip
        service, listener = _service_with_listener(lattice)
        where = {"serviceIdentifier": service["id"], "listenerIdentifier": listener["arn"]}
        rule = lattice.create_rule(
            **where, name="api", priority=1, match=PATH, action={"fixedResponse": {"statusCode": 404}}
        )
        lattice.delete_rule(**where, ruleIdentifier=rule["arn"])
        network = lattice.create_service_network(name="over-http")
        lattice.delete_service_network(serviceNetworkIdentifier=network["arn"])
        with pytest.raises(ClientError) as error:
            lattice.get_service_network(serviceNetworkIdentifier=network["id"])
        assert _code(error) == ("ResourceNotFoundException", 404)
        assert [item["isDefault"] for item in lattice.list_rules(**where)["items"]] == [True]
    finally:
        server.stop()
