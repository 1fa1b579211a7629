# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared VPC Lattice helpers: resolution and listing on moto; errors, retries, tags and policies on a Stubber."""

from __future__ import annotations

import json

import boto3
import pytest
from ansible_collections.blueprint.aws.plugins.module_utils import vpc_lattice as lattice
from botocore.stub import Stubber
from moto import mock_aws

ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


@pytest.fixture(autouse=True)
def no_emulator(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    """Retries and waiters run without waiting; ``no_sleep`` lists the delays asked for."""
    delays: list[float] = []
    monkeypatch.setattr("time.sleep", delays.append)
    return delays


def lattice_client():
    return boto3.client("vpc-lattice", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")


@pytest.fixture
def moto_client():
    with mock_aws():
        yield lattice_client()


@pytest.fixture
def stubbed():
    client = lattice_client()
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


# --- resolution and listing (moto) --------------------------------------------------------------


def test_resolve_service_network_by_name_id_or_arn(moto_client):
    created = moto_client.create_service_network(name="shop", authType="NONE")
    moto_client.create_service_network(name="ops", authType="NONE")

    for identifier in ("shop", created["id"], created["arn"]):
        found = lattice.resolve_service_network(moto_client, identifier)
        assert (found["id"], found["name"], found["authType"]) == (created["id"], "shop", "NONE")
    assert lattice.resolve_service_network(moto_client, "nope") is None
    assert lattice.get_service_network(moto_client, "sn-0000000000000000a") is None


def test_resolve_services_and_target_groups(moto_client):
    service = moto_client.create_service(name="api", authType="NONE")
    target_group = moto_client.create_target_group(
        name="api-targets", type="IP", config={"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
    )

    assert lattice.resolve_service(moto_client, "api")["id"] == service["id"]
    assert lattice.resolve_service(moto_client, service["arn"])["name"] == "api"
    assert lattice.resolve_target_group(moto_client, target_group["id"])["name"] == "api-targets"
    assert lattice.resolve_target_group(moto_client, "nope") is None


def test_list_items_follows_every_page(stubbed):
    client, stubber = stubbed
    first, second = {"id": "sn-0123456789abcdef1", "name": "one"}, {"id": "sn-0123456789abcdef2", "name": "two"}
    stubber.add_response("list_service_networks", {"items": [first], "nextToken": "page-2"}, {})
    stubber.add_response("list_service_networks", {"items": [second]}, {"nextToken": "page-2"})

    assert lattice.list_service_networks(client) == [first, second]


def test_a_name_shared_by_two_networks_is_ambiguous(stubbed):
    client, stubber = stubbed
    mine = {"id": "sn-0123456789abcdef0", "name": "shop", "arn": ARN}
    shared = {
        "id": "sn-0fedcba9876543210",
        "name": "shop",
        "arn": "arn:aws:vpc-lattice:us-east-1:210987654321:servicenetwork/sn-0fedcba9876543210",
    }
    stubber.add_response("list_service_networks", {"items": [mine, shared]}, {})

    with pytest.raises(lattice.AnsibleVpcLatticeError, match="More than one service network is named 'shop'"):
        lattice.resolve_service_network(client, "shop")


# --- error handler and retries (Stubber) ------------------------------------------------------


def test_errors_become_one_exception_with_the_action(stubbed):
    client, stubber = stubbed
    stubber.add_client_error("create_service_network", "ValidationException", "bad name", http_status_code=400)

    with pytest.raises(lattice.AnsibleVpcLatticeError) as error:
        lattice.create_service_network(client, "Bad_Name", "NONE", None)

    assert error.value.message == "Failed to create service network"
    assert error.value.exception.response["Error"]["Code"] == "ValidationException"


def test_throttling_is_retried(stubbed, no_sleep):
    client, stubber = stubbed
    stubber.add_client_error("get_service_network", "ThrottlingException", http_status_code=429)
    stubber.add_response(
        "get_service_network",
        {"id": "sn-0123456789abcdef0", "arn": ARN, "name": "shop"},
        {"serviceNetworkIdentifier": ARN},
    )

    assert lattice.get_service_network(client, ARN)["name"] == "shop"
    assert len(no_sleep) == 1


def test_conflict_is_retried_on_update_but_not_on_create(stubbed, no_sleep):
    client, stubber = stubbed
    stubber.add_client_error("update_service_network", "ConflictException", http_status_code=409)
    stubber.add_response(
        "update_service_network",
        {"id": "sn-0123456789abcdef0", "authType": "AWS_IAM"},
        {"serviceNetworkIdentifier": ARN, "authType": "AWS_IAM"},
    )
    stubber.add_client_error("create_service_network", "ConflictException", "name taken", http_status_code=409)

    assert lattice.update_service_network(client, ARN, "AWS_IAM")["authType"] == "AWS_IAM"
    with pytest.raises(lattice.AnsibleVpcLatticeError, match="Failed to create service network"):
        lattice.create_service_network(client, "shop", "NONE", {"a": 1})
    assert len(no_sleep) == 1


def test_delete_of_a_missing_resource_is_false(stubbed):
    client, stubber = stubbed
    stubber.add_client_error("delete_service_network", "ResourceNotFoundException", http_status_code=404)
    stubber.add_client_error("delete_auth_policy", "ResourceNotFoundException", http_status_code=404)

    assert lattice.delete_service_network(client, ARN) is False
    assert lattice.delete_auth_policy(client, ARN) is False


# --- waiters ----------------------------------------------------------------------------------


def sequence(*answers):
    answers = list(answers)
    return lambda: answers.pop(0)


def test_wait_for_status_polls_until_active(no_sleep):
    fetch = sequence(
        {"status": "CREATE_IN_PROGRESS"}, {"status": "CREATE_IN_PROGRESS"}, {"status": "ACTIVE", "id": "x"}
    )

    assert lattice.wait_for_status(fetch, delay=2)["id"] == "x"
    assert no_sleep == [2, 2]


def test_wait_for_status_reports_a_failure_with_its_reason():
    fetch = sequence({"status": "CREATE_FAILED", "failureMessage": "subnet full"})

    with pytest.raises(lattice.AnsibleVpcLatticeError, match="The service is CREATE_FAILED: subnet full"):
        lattice.wait_for_status(fetch, description="service")


def test_wait_for_status_none_waits_for_existence_and_a_vanished_resource_fails():
    assert lattice.wait_for_status(sequence(None, {"id": "x"}), statuses=None, delay=0) == {"id": "x"}
    with pytest.raises(lattice.AnsibleVpcLatticeError, match="disappeared"):
        lattice.wait_for_status(sequence(None), delay=0)


def test_waiters_time_out():
    with pytest.raises(lattice.AnsibleVpcLatticeError, match="Timeout waiting for the rule to be ACTIVE after 0 s"):
        lattice.wait_for_status(lambda: {"status": "CREATE_IN_PROGRESS"}, timeout=0, delay=1, description="rule")
    with pytest.raises(lattice.AnsibleVpcLatticeError, match="to be deleted"):
        lattice.wait_for_deletion(lambda: {"status": "DELETE_IN_PROGRESS"}, timeout=0, delay=1)


def test_wait_for_deletion():
    assert lattice.wait_for_deletion(sequence({"status": "DELETE_IN_PROGRESS"}, None), delay=0) is None
    with pytest.raises(lattice.AnsibleVpcLatticeError, match="DELETE_FAILED: still in use"):
        lattice.wait_for_deletion(sequence({"status": "DELETE_FAILED", "failureMessage": "still in use"}), delay=0)


# --- tags ---------------------------------------------------------------------------------------


def test_ensure_tags_purges_sets_and_keeps_aws_tags(stubbed):
    client, stubber = stubbed
    stubber.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["old"]})
    stubber.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": {"n": "1"}})

    changed, tags = lattice.ensure_tags(client, ARN, {"old": "x", "aws:x": "y"}, {"n": 1}, True, False)

    assert changed and tags == {"aws:x": "y", "n": "1"}


@pytest.mark.parametrize(
    "current, desired, purge, check_mode",
    [
        ({"a": "1"}, None, True, False),  # tags not managed
        ({"a": "1", "b": "2"}, {"a": "1"}, False, False),  # nothing to add, nothing purged
        ({"a": "1"}, {"a": "1"}, True, False),
    ],
)
def test_ensure_tags_without_a_change_makes_no_call(stubbed, current, desired, purge, check_mode):
    client, _stubber = stubbed
    assert lattice.ensure_tags(client, ARN, current, desired, purge, check_mode) == (False, current)


def test_ensure_tags_in_check_mode_predicts(stubbed):
    client, _stubber = stubbed
    assert lattice.ensure_tags(client, ARN, {"a": "1"}, {"b": "2"}, True, True) == (True, {"b": "2"})


def test_list_tags(moto_client):
    network = moto_client.create_service_network(name="shop", tags={"a": "1"})
    assert lattice.list_tags(moto_client, network["arn"]) == {"a": "1"}


# --- auth policies ----------------------------------------------------------------------------


def test_load_policy_names_the_option():
    assert lattice.load_policy(None, "auth_policy") is None
    assert lattice.load_policy(POLICY, "auth_policy") is POLICY
    assert lattice.load_policy(json.dumps(POLICY), "auth_policy") == POLICY
    with pytest.raises(lattice.AnsibleVpcLatticeError, match="^auth_policy is not valid JSON: "):
        lattice.load_policy("{", "auth_policy")
    with pytest.raises(lattice.AnsibleVpcLatticeError, match="^policy must be a JSON object"):
        lattice.load_policy("[]", "policy")


def test_policies_are_compared_after_normalisation():
    reordered = {
        "Statement": [{"Resource": "*", "Action": ["*"], "Principal": "*", "Effect": "Allow"}],
        "Version": "2012-10-17",
    }
    assert not lattice.policies_differ(POLICY, reordered)
    assert lattice.policies_differ(POLICY, None) and lattice.policies_differ(None, POLICY)
    assert not lattice.policies_differ(None, None)
    assert lattice.policies_differ(POLICY, {"Version": "2012-10-17", "Statement": []})


def test_get_auth_policy_is_none_without_a_policy(moto_client, stubbed):
    network = moto_client.create_service_network(name="shop", authType="AWS_IAM")
    assert lattice.get_auth_policy(moto_client, network["arn"]) is None  # moto: ResourceNotFoundException

    client, stubber = stubbed
    stubber.add_response("get_auth_policy", {}, {"resourceIdentifier": ARN})  # AWS: an empty answer
    assert lattice.get_auth_policy(client, ARN) is None


def test_ensure_auth_policy(stubbed):
    client, stubber = stubbed
    compact = json.dumps(POLICY, separators=(",", ":"))
    stubber.add_response(
        "put_auth_policy", {"policy": compact, "state": "Active"}, {"resourceIdentifier": ARN, "policy": compact}
    )
    stubber.add_response("delete_auth_policy", {}, {"resourceIdentifier": ARN})

    assert lattice.ensure_auth_policy(client, ARN, None, POLICY, purge=False, check_mode=False) == (True, POLICY)
    assert lattice.ensure_auth_policy(client, ARN, POLICY, dict(POLICY), purge=False, check_mode=False) == (
        False,
        POLICY,
    )
    assert lattice.ensure_auth_policy(client, ARN, POLICY, None, purge=False, check_mode=False) == (False, POLICY)
    assert lattice.ensure_auth_policy(client, ARN, POLICY, None, purge=True, check_mode=False) == (True, None)
    assert lattice.ensure_auth_policy(client, ARN, None, None, purge=True, check_mode=False) == (False, None)
    assert lattice.ensure_auth_policy(client, ARN, POLICY, None, purge=True, check_mode=True) == (True, None)


# --- comparison and output ----------------------------------------------------------------------


def test_changes_ignores_unmanaged_values():
    current = {"auth_type": "NONE", "port": 80}
    assert lattice.changes(current, {"auth_type": "AWS_IAM", "port": None}) == {"auth_type": "AWS_IAM"}
    assert lattice.changes(current, {"auth_type": "NONE", "port": 80}) == {}
    assert lattice.changes(None, {"port": 443}) == {"port": 443}


def test_diff_views_the_managed_keys():
    before = {"name": "a", "auth_type": "NONE", "id": "sn-1"}
    assert lattice.diff(before, None, ("name", "auth_type")) == {
        "before": {"name": "a", "auth_type": "NONE"},
        "after": {},
    }


def test_to_ansible_snake_cases_and_adds_tags(stubbed):
    from datetime import datetime, timezone

    resource = {
        "numberOfAssociatedVPCs": 2,
        "createdAt": datetime(2025, 1, 1, tzinfo=timezone.utc),
        "ResponseMetadata": {},
        "sharingConfig": {"enabled": True},
    }
    assert lattice.to_ansible(resource, {"a": "1"}) == {
        "number_of_associated_vpcs": 2,
        "created_at": "2025-01-01T00:00:00+00:00",
        "sharing_config": {"enabled": True},
        "tags": {"a": "1"},
    }
    assert lattice.to_ansible(None) is None
