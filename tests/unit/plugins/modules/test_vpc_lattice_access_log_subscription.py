# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_access_log_subscription: create/get/list/update on moto (with the emulator's Lattice lifecycle);
tag and delete calls and errors on a Stubber, which checks each request against the API model and the order of calls."""

from __future__ import annotations

from datetime import datetime, timezone

import moto_lattice
import pytest
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import access_log_destination_type
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import same_access_log_destination
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_access_log_subscription as module

LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/lattice/shop"
LOGS_2 = "arn:aws:logs:us-east-1:123456789012:log-group:/lattice/shop-2"
S3 = "arn:aws:s3:::shop-lattice-logs"
FIREHOSE = "arn:aws:firehose:us-east-1:123456789012:deliverystream/shop-logs"
SN_ID = "sn-0123456789abcdef0"
SN_ARN = f"arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/{SN_ID}"
ALS_ID = "als-0123456789abcdef0"
ALS_ARN = f"arn:aws:vpc-lattice:us-east-1:123456789012:accesslogsubscription/{ALS_ID}"
WHEN = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def lattice_lifecycle():
    """moto with the emulator's VPC Lattice fixes (tests/harness/moto_lattice.py)."""
    moto_lattice.apply()


def subscription(destination: str = LOGS) -> dict:
    return {
        "id": ALS_ID, "arn": ALS_ARN, "resourceId": SN_ID, "resourceArn": SN_ARN, "destinationArn": destination,
        "serviceNetworkLogType": "SERVICE", "createdAt": WHEN, "lastUpdatedAt": WHEN,
    }  # fmt: skip


def expect_read(stubber, destination: str = LOGS, tags: dict | None = None) -> None:
    """Resolve the resource by ARN, list its subscriptions, get the one of the destination's kind and its tags."""
    stubber.add_response(
        "get_service_network", {"id": SN_ID, "name": "shop", "arn": SN_ARN}, {"serviceNetworkIdentifier": SN_ARN}
    )
    summary = {k: v for k, v in subscription(destination).items() if k != "serviceNetworkLogType"}
    stubber.add_response("list_access_log_subscriptions", {"items": [summary]}, {"resourceIdentifier": SN_ID})
    stubber.add_response(
        "get_access_log_subscription", subscription(destination), {"accessLogSubscriptionIdentifier": ALS_ID}
    )
    stubber.add_response("list_tags_for_resource", {"tags": tags or {}}, {"resourceArn": ALS_ARN})


# --- destination checks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arn, kind",
    [(LOGS, "logs"), (LOGS + ":*", "logs"), (S3, "s3"), (FIREHOSE, "firehose"),
     ("arn:aws-cn:logs:cn-north-1:123456789012:log-group:app", "logs")],
)  # fmt: skip
def test_destination_kinds(arn, kind):
    assert access_log_destination_type(arn) == kind


def test_a_log_group_with_or_without_its_star_is_the_same_destination():
    assert same_access_log_destination(LOGS, LOGS + ":*")
    assert not same_access_log_destination(LOGS, LOGS_2)


@pytest.mark.parametrize(
    "destination",
    [
        "shop-lattice-logs",
        "arn:aws:sqs:us-east-1:123456789012:queue",
        "arn:aws:logs:us-east-1:123456789012:destination:x",
        "arn:aws:s3:::Bad_Bucket",
        "arn:aws:firehose:us-east-1:123456789012:stream/x",
    ],
)
def test_bad_destination_fails_before_any_call(run_module, stubbed, destination):
    client, _stubber = stubbed  # nothing queued: any call would fail the test

    outcome = run_module(module, {"resource": "shop", "destination": destination}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("destination must be the ARN of a CloudWatch Logs log group")


# --- moto: create, get, list, update -----------------------------------------------------------


def test_check_mode_create_predicts_and_creates_nothing(run_module, moto_lattice):
    network = moto_lattice.create_service_network(name="shop")
    moto_lattice.recorder.operations.clear()

    outcome = run_module(module, {"resource": "shop", "destination": LOGS}, moto_lattice, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["access_log_subscription"] == {
        "resource_id": network["id"], "resource_arn": network["arn"], "resource_type": "service_network",
        "destination_arn": LOGS, "destination_type": "logs", "tags": {},
    }  # fmt: skip
    assert outcome.result["diff"]["before"] == {}
    assert moto_lattice.recorder.writes == []
    assert moto_lattice.list_access_log_subscriptions(resourceIdentifier=network["id"])["items"] == []


def test_create_then_rerun_then_update_in_place(run_module, moto_lattice):
    service = moto_lattice.create_service(name="users")
    moto_lattice.recorder.operations.clear()
    args = {"resource": "users", "destination": LOGS, "tags": {"team": "a"}}

    first = run_module(module, args, moto_lattice)

    assert not first.failed and first.result["changed"]
    created = first.result["access_log_subscription"]
    assert created["id"].startswith("als-") and created["resource_type"] == "service"
    assert (created["resource_id"], created["destination_arn"], created["tags"]) == (service["id"], LOGS, {"team": "a"})
    assert moto_lattice.recorder.writes == ["CreateAccessLogSubscription"]

    moto_lattice.recorder.operations.clear()
    same = run_module(module, dict(args, resource=service["arn"], destination=LOGS + ":*"), moto_lattice, diff=True)

    assert not same.failed and not same.result["changed"]
    assert moto_lattice.recorder.writes == []
    assert same.result["diff"]["before"] == same.result["diff"]["after"]

    moto_lattice.recorder.operations.clear()
    moved = run_module(module, dict(args, resource=service["id"], destination=LOGS_2), moto_lattice, diff=True)

    assert not moved.failed and moved.result["changed"]
    assert moto_lattice.recorder.writes == ["UpdateAccessLogSubscription"]
    assert moved.result["access_log_subscription"]["id"] == created["id"]
    assert moved.result["diff"]["before"]["destination_arn"] == LOGS
    assert moved.result["diff"]["after"]["destination_arn"] == LOGS_2


def test_another_kind_of_destination_is_another_subscription(run_module, moto_lattice):
    network = moto_lattice.create_service_network(name="shop")
    logs = run_module(module, {"resource": "shop", "destination": LOGS}, moto_lattice)
    moto_lattice.recorder.operations.clear()

    s3 = run_module(module, {"resource": "shop", "destination": S3}, moto_lattice)

    assert s3.result["changed"] and s3.result["access_log_subscription"]["destination_type"] == "s3"
    assert s3.result["access_log_subscription"]["id"] != logs.result["access_log_subscription"]["id"]
    assert moto_lattice.recorder.writes == ["CreateAccessLogSubscription"]
    items = moto_lattice.list_access_log_subscriptions(resourceIdentifier=network["id"])["items"]
    assert sorted(item["destinationArn"] for item in items) == sorted([LOGS, S3])


def test_name_of_both_a_network_and_a_service_is_refused(run_module, moto_lattice):
    moto_lattice.create_service_network(name="shop")
    moto_lattice.create_service(name="shop")
    moto_lattice.recorder.operations.clear()

    outcome = run_module(module, {"resource": "shop", "destination": LOGS}, moto_lattice)

    assert outcome.failed
    assert "names both service network" in outcome.result["msg"] and "id or ARN" in outcome.result["msg"]
    assert moto_lattice.recorder.writes == []


def test_unknown_resource_fails_before_any_write(run_module, moto_lattice):
    outcome = run_module(module, {"resource": "nope", "destination": LOGS}, moto_lattice)
    absent = run_module(module, {"resource": "nope", "destination": LOGS, "state": "absent"}, moto_lattice)

    assert outcome.failed and outcome.result["msg"] == "resource 'nope' is neither a service network nor a service"
    assert not absent.failed and not absent.result["changed"]
    assert moto_lattice.recorder.writes == []


# --- Stubber: tags, delete, errors -------------------------------------------------------------


def test_tags_are_set_and_purged(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, tags={"team": "a", "old": "1"})
    stubber.add_response("untag_resource", {}, {"resourceArn": ALS_ARN, "tagKeys": ["old"]})
    stubber.add_response("tag_resource", {}, {"resourceArn": ALS_ARN, "tags": {"team": "b"}})
    stubber.add_response("get_access_log_subscription", subscription(), {"accessLogSubscriptionIdentifier": ALS_ID})
    stubber.add_response("list_tags_for_resource", {"tags": {"team": "b"}}, {"resourceArn": ALS_ARN})

    outcome = run_module(module, {"resource": SN_ARN, "destination": LOGS, "tags": {"team": "b"}}, client)

    assert outcome.result["changed"]
    assert outcome.result["access_log_subscription"]["tags"] == {"team": "b"}


def test_check_mode_update_predicts_without_writing(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)  # reads only; a write would find no queued response

    outcome = run_module(module, {"resource": SN_ARN, "destination": LOGS_2}, client, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {"resource_id": SN_ID, "destination_arn": LOGS_2, "tags": {}}


def test_delete_waits_until_gone(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)
    stubber.add_response("delete_access_log_subscription", {}, {"accessLogSubscriptionIdentifier": ALS_ID})
    stubber.add_client_error(
        "get_access_log_subscription",
        "ResourceNotFoundException",
        http_status_code=404,
        expected_params={"accessLogSubscriptionIdentifier": ALS_ID},
    )

    outcome = run_module(module, {"resource": SN_ARN, "destination": LOGS, "state": "absent"}, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"] == {
        "before": {"resource_id": SN_ID, "destination_arn": LOGS, "tags": {}},
        "after": {},
    }


def test_check_mode_delete_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)

    outcome = run_module(module, {"resource": SN_ARN, "destination": LOGS, "state": "absent"}, client, check_mode=True)

    assert not outcome.failed and outcome.result["changed"]


def test_aws_error_fails_with_the_handlers_message(run_module, stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "get_service_network", {"id": SN_ID, "name": "shop", "arn": SN_ARN}, {"serviceNetworkIdentifier": SN_ARN}
    )
    stubber.add_response("list_access_log_subscriptions", {"items": []}, {"resourceIdentifier": SN_ID})
    stubber.add_client_error(
        "create_access_log_subscription", "AccessDeniedException", "no logs:CreateLogDelivery", http_status_code=403
    )

    outcome = run_module(module, {"resource": SN_ARN, "destination": LOGS}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("Failed to create access log subscription")
