# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_target_group: create/get/list on moto; health-check updates, target registration, tags and deletes
on a Stubber, which checks each request against the API model and the exact order of calls."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_target_group as module

TG_ID = "tg-0123456789abcdef0"
ARN = f"arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/{TG_ID}"
VPC = "vpc-0123456789abcdef0"
WHEN = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
HEALTH = {
    "enabled": True, "protocol": "HTTP", "protocolVersion": "HTTP1", "path": "/", "healthCheckIntervalSeconds": 30,
    "healthCheckTimeoutSeconds": 5, "healthyThresholdCount": 5, "unhealthyThresholdCount": 2,
    "matcher": {"httpCode": "200"},
}  # fmt: skip
CONFIG = {"port": 8080, "protocol": "HTTP", "vpc_identifier": VPC}
BASE = {"name": "users", "type": "INSTANCE", "config": CONFIG}


def group(health: dict | None = None, target_type: str = "INSTANCE") -> dict:
    config = {"port": 8080, "protocol": "HTTP", "protocolVersion": "HTTP1", "vpcIdentifier": VPC,
              "ipAddressType": "IPV4", "healthCheck": health or HEALTH}  # fmt: skip
    return {"id": TG_ID, "arn": ARN, "name": "users", "type": target_type, "config": config, "createdAt": WHEN,
            "lastUpdatedAt": WHEN, "status": "ACTIVE", "serviceArns": []}  # fmt: skip


def expect_read(stubber, health: dict | None = None, tags: dict | None = None, targets: list | None = None,
                lookup: bool = True) -> None:  # fmt: skip
    """The calls that read the group: find it by name (lookup), GetTargetGroup, its tags, its targets."""
    if lookup:
        summary = {"id": TG_ID, "name": "users", "arn": ARN, "type": "INSTANCE"}
        stubber.add_response("list_target_groups", {"items": [summary]}, {})
    stubber.add_response("get_target_group", group(health), {"targetGroupIdentifier": TG_ID if lookup else ARN})
    stubber.add_response("list_tags_for_resource", {"tags": tags or {}}, {"resourceArn": ARN})
    if targets is not None:
        stubber.add_response("list_targets", {"items": targets}, {"targetGroupIdentifier": ARN})


# --- moto: create, get, list ------------------------------------------------------------------


def test_check_mode_create_predicts_and_creates_nothing(run_module, moto_lattice):
    args = dict(BASE, health_check={"path": "/healthz", "matcher": "200-299"}, tags={"team": "a"})

    outcome = run_module(module, args, moto_lattice, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    predicted = outcome.result["target_group"]
    assert predicted["config"] == dict(CONFIG, health_check={"path": "/healthz", "matcher": {"http_code": "200-299"}})
    assert "id" not in predicted
    assert outcome.result["diff"]["before"] == {}
    assert moto_lattice.recorder.writes == []
    assert moto_lattice.list_target_groups()["items"] == []


def test_create_then_rerun_changes_nothing(run_module, moto_lattice):
    args = dict(BASE, health_check={"path": "/healthz", "interval": 10, "matcher": "200"}, tags={"tier": 1})

    first = run_module(module, args, moto_lattice)

    assert not first.failed and first.result["changed"]
    created = first.result["target_group"]
    assert created["id"].startswith("tg-") and created["arn"].endswith(created["id"])
    assert (created["name"], created["type"], created["status"], created["tags"]) == (
        "users", "INSTANCE", "ACTIVE", {"tier": "1"},
    )  # fmt: skip
    assert created["config"]["health_check"]["health_check_interval_seconds"] == 10
    assert moto_lattice.recorder.writes == ["CreateTargetGroup"]
    sent = moto_lattice.get_target_group(targetGroupIdentifier=created["id"])["config"]
    assert sent["healthCheck"] == {"path": "/healthz", "healthCheckIntervalSeconds": 10, "matcher": {"httpCode": "200"}}
    assert sent["vpcIdentifier"] == VPC

    moto_lattice.recorder.operations.clear()
    second = run_module(module, args, moto_lattice, diff=True)

    assert not second.failed and not second.result["changed"]
    assert moto_lattice.recorder.writes == []
    assert second.result["diff"]["before"] == second.result["diff"]["after"]


def test_lambda_group_needs_no_config(run_module, moto_lattice):
    args = {"name": "thumbs", "type": "LAMBDA", "config": {"lambda_event_structure_version": "V2"}}

    outcome = run_module(module, args, moto_lattice)

    assert outcome.result["changed"]
    assert outcome.result["target_group"]["config"] == {"lambda_event_structure_version": "V2"}
    assert not run_module(module, args, moto_lattice).result["changed"]


def test_changing_a_create_only_key_fails_naming_it(run_module, moto_lattice):
    run_module(module, BASE, moto_lattice)
    moto_lattice.recorder.operations.clear()

    port = run_module(module, dict(BASE, config=dict(CONFIG, port=9090)), moto_lattice)
    kind = run_module(module, dict(BASE, type="IP"), moto_lattice)
    # AWS's default, not echoed by moto, is not a change.
    default = run_module(module, dict(BASE, config=dict(CONFIG, protocol_version="HTTP1")), moto_lattice)

    assert port.failed and port.result["msg"].startswith("config.port cannot be changed from 8080 to 9090")
    assert kind.failed and kind.result["msg"].startswith("type cannot be changed from INSTANCE to IP")
    assert not default.failed and not default.result["changed"]
    assert moto_lattice.recorder.writes == []


def test_absent_group_is_not_changed(run_module, moto_lattice):
    outcome = run_module(module, {"name": "users", "state": "absent"}, moto_lattice)

    assert not outcome.failed and not outcome.result["changed"]
    assert "target_group" not in outcome.result
    assert moto_lattice.recorder.writes == []


def test_missing_config_fails_before_creating(run_module, moto_lattice):
    outcome = run_module(module, {"name": "users", "type": "IP", "config": {"port": 80}}, moto_lattice)

    assert outcome.failed
    assert (
        outcome.result["msg"] == "config.protocol, config.vpc_identifier required to create a target group of type IP"
    )
    assert moto_lattice.recorder.writes == []


# --- refused before any call --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        ({"name": "tg-users"}, "name must be 3 to 128"),
        ({"name": "Users"}, "name must be 3 to 128"),
        ({"name": "a--b"}, "name must be 3 to 128"),
        ({"config": dict(CONFIG, port=0)}, "config.port must be between 1 and 65535, not 0"),
        ({"config": dict(CONFIG, port=70000)}, "config.port must be between 1 and 65535, not 70000"),
        ({"config": dict(CONFIG, vpc_identifier="vpc-1")}, "config.vpc_identifier must be a VPC ID"),
        ({"config": dict(CONFIG, ip_address_type="IPV6")}, "config.ip_address_type is supported only with type=IP"),
        ({"type": "LAMBDA", "config": {"port": 80}}, "config.port is not supported with type=LAMBDA"),
        ({"type": "IP", "config": {"lambda_event_structure_version": "V2"}},
         "config.lambda_event_structure_version is supported only with type=LAMBDA"),
        ({"type": "ALB", "health_check": {"enabled": False}}, "health_check is not supported with type=ALB"),
        ({"type": "LAMBDA", "config": None, "health_check": {}}, "health_check is not supported with type=LAMBDA"),
        ({"health_check": {"port": 65536}}, "health_check.port must be between 0 and 65535"),
        ({"health_check": {"interval": 4}}, "health_check.health_check_interval_seconds must be between 5 and 300"),
        ({"health_check": {"timeout": 121}}, "health_check.health_check_timeout_seconds must be between 1 and 120"),
        ({"health_check": {"healthy_threshold_count": 1}}, "health_check.healthy_threshold_count must be between 2"),
        ({"health_check": {"unhealthy_threshold_count": 11}}, "health_check.unhealthy_threshold_count must be"),
        ({"health_check": {"path": "healthz"}}, "health_check.path must start with '/'"),
        ({"health_check": {"matcher": "2xx"}}, "health_check.matcher must be HTTP codes"),
        ({"targets": [{"id": "i-1", "port": 0}]}, "targets[0].port must be between 1 and 65535"),
        ({"targets": [{"id": ""}]}, "targets[0].id must be 1 to 200 characters"),
        ({"type": "LAMBDA", "config": None, "targets": [{"id": "arn:aws:lambda:x", "port": 80}]},
         "targets[0].port is not supported with type=LAMBDA"),
    ],
)  # fmt: skip
def test_bad_input_fails_before_any_call(run_module, stubbed, args, message):
    client, _stubber = stubbed  # nothing queued: any call would fail the test

    outcome = run_module(module, dict(BASE, **args), client)

    assert outcome.failed
    assert message in outcome.result["msg"]


def test_type_is_required_when_present(run_module, stubbed):
    client, _stubber = stubbed

    outcome = run_module(module, {"name": "users"}, client)

    assert outcome.failed and "type" in outcome.result["msg"]


# --- Stubber: health check, targets, tags, delete -------------------------------------------------


def test_health_check_update_sends_the_whole_check(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)
    wanted = dict(HEALTH, path="/healthz", matcher={"httpCode": "200-299"})
    answer = {key: value for key, value in group(wanted).items() if key in ("id", "arn", "name", "type", "config")}
    stubber.add_response("update_target_group", answer, {"targetGroupIdentifier": ARN, "healthCheck": wanted})
    expect_read(stubber, health=wanted, lookup=False)

    args = dict(BASE, health_check={"path": "/healthz", "matcher": "200-299", "enabled": True})
    outcome = run_module(module, args, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["before"]["config"]["health_check"]["path"] == "/"
    assert outcome.result["diff"]["after"]["config"]["health_check"]["matcher"] == {"http_code": "200-299"}
    assert outcome.result["target_group"]["created_at"] == "2025-01-31T12:00:00+00:00"


def test_check_mode_health_check_update_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)

    outcome = run_module(module, dict(BASE, health_check={"enabled": False}), client, check_mode=True, diff=True)

    assert outcome.result["changed"]
    assert outcome.result["diff"]["after"]["config"]["health_check"]["enabled"] is False


def test_same_health_check_is_not_a_change(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)

    outcome = run_module(module, dict(BASE, health_check={"path": "/", "interval": 30, "matcher": "200"}), client)

    assert not outcome.failed and not outcome.result["changed"]


def test_only_the_difference_of_targets_is_registered_and_deregistered(run_module, stubbed):
    client, stubber = stubbed
    current = [
        {"id": "i-keep", "port": 8080, "status": "HEALTHY"},
        {"id": "i-extra", "port": 8080, "status": "HEALTHY"},
        {"id": "i-leaving", "port": 8080, "status": "DRAINING"},  # never deregistered twice
        {"id": "i-back", "port": 8080, "status": "DRAINING"},  # wanted again: registered again
    ]
    expect_read(stubber, targets=current)
    stubber.add_response(
        "deregister_targets",
        {"successful": [{"id": "i-extra", "port": 8080}], "unsuccessful": []},
        {"targetGroupIdentifier": ARN, "targets": [{"id": "i-extra", "port": 8080}]},
    )
    registered = [{"id": "i-back", "port": 8080}, {"id": "i-new", "port": 9000}]
    stubber.add_response(
        "register_targets", {"successful": registered, "unsuccessful": []},
        {"targetGroupIdentifier": ARN, "targets": registered},
    )  # fmt: skip
    after = [dict(target, status="INITIAL") for target in registered] + [current[0], current[2]]
    expect_read(stubber, targets=after, lookup=False)

    targets = [{"id": "i-keep"}, {"id": "i-back", "port": 8080}, {"id": "i-new", "port": 9000}, {"id": "i-keep"}]
    outcome = run_module(module, dict(BASE, targets=targets), client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert [t["id"] for t in outcome.result["target_group"]["targets"]] == ["i-back", "i-keep", "i-leaving", "i-new"]
    assert [t["id"] for t in outcome.result["diff"]["before"]["targets"]] == [
        "i-back",
        "i-extra",
        "i-keep",
        "i-leaving",
    ]


def test_targets_without_purge_only_register(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, targets=[{"id": "i-other", "port": 8080, "status": "UNUSED"}])

    outcome = run_module(module, dict(BASE, targets=[{"id": "i-other"}], purge_targets=False), client, check_mode=True)

    assert not outcome.failed and not outcome.result["changed"]


def test_check_mode_targets_predict_without_writing(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, targets=[{"id": "i-old", "port": 8080, "status": "UNUSED"}])

    outcome = run_module(module, dict(BASE, targets=[{"id": "i-new"}]), client, check_mode=True, diff=True)

    assert outcome.result["changed"]
    assert outcome.result["diff"]["after"]["targets"] == [{"id": "i-new", "port": 8080}]


def test_unsuccessful_registration_fails_with_aws_reason(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, targets=[])
    failure = {"id": "i-bad", "port": 8080, "failureCode": "InvalidTarget", "failureMessage": "not in the VPC"}
    stubber.add_response(
        "register_targets", {"successful": [], "unsuccessful": [failure]},
        {"targetGroupIdentifier": ARN, "targets": [{"id": "i-bad", "port": 8080}]},
    )  # fmt: skip

    outcome = run_module(module, dict(BASE, targets=[{"id": "i-bad"}]), client)

    assert outcome.failed
    assert outcome.result["msg"] == "Failed to register 1 target(s): i-bad:8080 InvalidTarget: not in the VPC"


def test_many_targets_are_registered_100_at_a_time(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, targets=[])
    wanted = [{"id": f"10.0.{n // 250}.{n % 250}", "port": 8080} for n in range(150)]
    for chunk in (wanted[:100], wanted[100:]):
        stubber.add_response(
            "register_targets", {"successful": chunk}, {"targetGroupIdentifier": ARN, "targets": chunk}
        )
    expect_read(stubber, targets=[], lookup=False)

    outcome = run_module(module, dict(BASE, targets=[{"id": t["id"]} for t in wanted]), client)

    assert not outcome.failed and outcome.result["changed"]


def test_tags_are_set_and_purged(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, tags={"team": "a", "old": "1"})
    stubber.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["old"]})
    stubber.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": {"team": "b"}})
    expect_read(stubber, tags={"team": "b"}, lookup=False)

    outcome = run_module(module, dict(BASE, tags={"team": "b"}), client)

    assert outcome.result["changed"] and outcome.result["target_group"]["tags"] == {"team": "b"}


def test_delete_waits_until_gone(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)
    stubber.add_response(
        "delete_target_group", {"id": TG_ID, "arn": ARN, "status": "DELETE_IN_PROGRESS"}, {"targetGroupIdentifier": ARN}
    )
    stubber.add_client_error(
        "get_target_group", "ResourceNotFoundException", http_status_code=404,
        expected_params={"targetGroupIdentifier": ARN},
    )  # fmt: skip

    outcome = run_module(module, {"name": "users", "state": "absent"}, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {}
    assert outcome.result["diff"]["before"]["name"] == "users"


def test_check_mode_delete_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)

    outcome = run_module(module, {"name": "users", "state": "absent"}, client, check_mode=True)

    assert not outcome.failed and outcome.result["changed"]


def test_delete_of_a_group_in_use_fails_at_once_with_aws_message(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)
    stubber.add_client_error(
        "delete_target_group", "ConflictException", "Target group is used by a listener rule",
        http_status_code=409, expected_params={"targetGroupIdentifier": ARN},
    )  # fmt: skip

    outcome = run_module(module, {"name": "users", "state": "absent"}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("Failed to delete target group")
    assert "Target group is used by a listener rule" in outcome.result["msg"]
    assert outcome.result["error"]["code"] == "ConflictException"
