# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_service_network: create/get/list on moto; update, delete, tag and auth-policy calls on a Stubber,
which checks each request against the API model and the exact order of calls."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_service_network as module

ARN = "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0"
SN_ID = "sn-0123456789abcdef0"
WHEN = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}],
}


def network(auth_type: str = "NONE") -> dict:
    return {
        "id": SN_ID, "name": "shop", "arn": ARN, "authType": auth_type, "createdAt": WHEN, "lastUpdatedAt": WHEN,
        "numberOfAssociatedVPCs": 0, "numberOfAssociatedServices": 0, "sharingConfig": {"enabled": False},
    }  # fmt: skip


def expect_read(
    stubber, auth_type: str = "NONE", tags: dict | None = None, policy: dict | None = None, lookup: bool = True
) -> None:
    """The calls that read the network: find it by name (lookup), then GetServiceNetwork, its tags, its policy."""
    if lookup:
        summary = {"id": SN_ID, "name": "shop", "arn": ARN}
        stubber.add_response("list_service_networks", {"items": [summary]}, {})
    stubber.add_response(
        "get_service_network", network(auth_type), {"serviceNetworkIdentifier": SN_ID if lookup else ARN}
    )
    stubber.add_response("list_tags_for_resource", {"tags": tags or {}}, {"resourceArn": ARN})
    if policy is None:
        stubber.add_client_error(
            "get_auth_policy",
            "ResourceNotFoundException",
            http_status_code=404,
            expected_params={"resourceIdentifier": ARN},
        )
    else:
        stubber.add_response(
            "get_auth_policy", {"policy": json.dumps(policy), "state": "Active"}, {"resourceIdentifier": ARN}
        )


def compact(policy: dict) -> str:
    return json.dumps(policy, separators=(",", ":"))


# --- moto: create, get, list ------------------------------------------------------------------


def test_check_mode_create_predicts_and_creates_nothing(run_module, moto_lattice):
    outcome = run_module(module, {"name": "shop", "tags": {"team": "a"}}, moto_lattice, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["service_network"] == {
        "name": "shop",
        "auth_type": "NONE",
        "auth_policy": None,
        "tags": {"team": "a"},
    }
    assert outcome.result["diff"] == {
        "before": {},
        "after": {"name": "shop", "auth_type": "NONE", "auth_policy": None, "tags": {"team": "a"}},
    }
    assert moto_lattice.recorder.writes == []
    assert moto_lattice.list_service_networks()["items"] == []


def test_create_then_rerun_changes_nothing(run_module, moto_lattice):
    args = {"name": "shop", "auth_type": "AWS_IAM", "auth_policy": POLICY, "tags": {"team": "a"}}

    first = run_module(module, args, moto_lattice)

    assert not first.failed and first.result["changed"]
    created = first.result["service_network"]
    assert created["id"].startswith("sn-") and created["arn"].endswith(created["id"])
    assert (created["name"], created["auth_type"], created["tags"]) == ("shop", "AWS_IAM", {"team": "a"})
    assert created["auth_policy"] == POLICY
    assert moto_lattice.recorder.writes == ["CreateServiceNetwork", "PutAuthPolicy"]
    assert json.loads(moto_lattice.get_auth_policy(resourceIdentifier=created["id"])["policy"]) == POLICY

    moto_lattice.recorder.operations.clear()
    # The same policy as a reordered JSON string is the same policy.
    same = dict(args, auth_policy=json.dumps({"Statement": POLICY["Statement"], "Version": "2012-10-17"}, indent=2))
    second = run_module(module, same, moto_lattice, diff=True)

    assert not second.failed and not second.result["changed"]
    assert moto_lattice.recorder.writes == []
    assert second.result["diff"]["before"] == second.result["diff"]["after"]
    assert second.result["service_network"]["id"] == created["id"]


def test_create_with_non_string_tag_values_tags_once(run_module, moto_lattice):
    outcome = run_module(module, {"name": "shop", "tags": {"tier": 1}}, moto_lattice)

    assert outcome.result["service_network"]["tags"] == {"tier": "1"}
    assert moto_lattice.recorder.writes == ["CreateServiceNetwork"]
    assert not run_module(module, {"name": "shop", "tags": {"tier": 1}}, moto_lattice).result["changed"]


def test_absent_network_is_not_changed(run_module, moto_lattice):
    outcome = run_module(module, {"name": "shop", "state": "absent"}, moto_lattice)

    assert not outcome.failed and not outcome.result["changed"]
    assert "service_network" not in outcome.result
    assert moto_lattice.recorder.writes == []


# --- refused before any call --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        ({"auth_type": "AWS_IAM", "auth_policy": '{"Version": "2012-10-17",'}, "auth_policy is not valid JSON"),
        ({"auth_type": "AWS_IAM", "auth_policy": '["not", "a", "document"]'}, "auth_policy must be a JSON object"),
        ({"auth_policy": POLICY}, "auth_policy requires auth_type=AWS_IAM"),
        ({"auth_type": "NONE", "auth_policy": "{}"}, "auth_policy requires auth_type=AWS_IAM"),
    ],
)
def test_bad_auth_policy_fails_before_any_call(run_module, stubbed, args, message):
    client, _stubber = stubbed  # nothing queued: any call would fail the test

    outcome = run_module(module, dict(args, name="shop"), client)

    assert outcome.failed
    assert message in outcome.result["msg"]


# --- Stubber: update, tag, auth policy, delete ------------------------------------------------


def test_switch_to_aws_iam_puts_the_policy_before_turning_it_on(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, "NONE", tags={"team": "a"})
    stubber.add_response(
        "put_auth_policy",
        {"policy": compact(POLICY), "state": "Inactive"},
        {"resourceIdentifier": ARN, "policy": compact(POLICY)},
    )
    stubber.add_response(
        "update_service_network",
        {"id": SN_ID, "name": "shop", "arn": ARN, "authType": "AWS_IAM"},
        {"serviceNetworkIdentifier": ARN, "authType": "AWS_IAM"},
    )
    expect_read(stubber, "AWS_IAM", tags={"team": "a"}, policy=POLICY, lookup=False)

    outcome = run_module(module, {"name": "shop", "auth_type": "AWS_IAM", "auth_policy": POLICY}, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"] == {
        "before": {"name": "shop", "auth_type": "NONE", "auth_policy": None, "tags": {"team": "a"}},
        "after": {"name": "shop", "auth_type": "AWS_IAM", "auth_policy": POLICY, "tags": {"team": "a"}},
    }
    assert outcome.result["service_network"]["number_of_associated_vpcs"] == 0
    assert outcome.result["service_network"]["created_at"] == "2025-01-31T12:00:00+00:00"


def test_switch_to_none_turns_iam_off_before_deleting_the_policy(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, "AWS_IAM", policy=POLICY)
    stubber.add_response(
        "update_service_network",
        {"id": SN_ID, "name": "shop", "arn": ARN, "authType": "NONE"},
        {"serviceNetworkIdentifier": ARN, "authType": "NONE"},
    )
    stubber.add_response("delete_auth_policy", {}, {"resourceIdentifier": ARN})
    expect_read(stubber, "NONE", lookup=False)

    outcome = run_module(module, {"name": "shop"}, client)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["service_network"]["auth_policy"] is None


def test_changed_policy_is_put_and_unmanaged_policy_is_left(run_module, stubbed):
    client, stubber = stubbed
    old = {"Version": "2012-10-17", "Statement": [dict(POLICY["Statement"][0], Effect="Deny")]}
    expect_read(stubber, "AWS_IAM", policy=old)
    stubber.add_response(
        "put_auth_policy",
        {"policy": compact(POLICY), "state": "Active"},
        {"resourceIdentifier": ARN, "policy": compact(POLICY)},
    )
    expect_read(stubber, "AWS_IAM", policy=POLICY, lookup=False)
    # Second run without auth_policy: AWS_IAM keeps whatever policy is there.
    expect_read(stubber, "AWS_IAM", policy=POLICY)

    changed = run_module(module, {"name": "shop", "auth_type": "AWS_IAM", "auth_policy": json.dumps(POLICY)}, client)
    unmanaged = run_module(module, {"name": "shop", "auth_type": "AWS_IAM"}, client)

    assert changed.result["changed"] and changed.result["service_network"]["auth_policy"] == POLICY
    assert not unmanaged.result["changed"] and unmanaged.result["service_network"]["auth_policy"] == POLICY


@pytest.mark.parametrize(
    "purge_tags, untagged, tagged, final",
    [
        (True, ["old"], {"team": "b"}, {"team": "b", "aws:owner": "x"}),
        (False, None, {"team": "b"}, {"team": "b", "old": "1", "aws:owner": "x"}),
    ],
)
def test_tags_are_set_and_purged_except_aws_ones(run_module, stubbed, purge_tags, untagged, tagged, final):
    client, stubber = stubbed
    expect_read(stubber, tags={"team": "a", "old": "1", "aws:owner": "x"})
    if untagged:
        stubber.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": untagged})
    stubber.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": tagged})
    expect_read(stubber, tags=final, lookup=False)

    outcome = run_module(module, {"name": "shop", "tags": {"team": "b"}, "purge_tags": purge_tags}, client, diff=True)

    assert outcome.result["changed"]
    assert outcome.result["diff"]["after"]["tags"] == final


def test_check_mode_update_predicts_without_writing(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, "NONE", tags={"team": "a"})  # reads only; a write would find no queued response

    outcome = run_module(
        module,
        {"name": "shop", "auth_type": "AWS_IAM", "auth_policy": POLICY, "tags": {}},
        client,
        check_mode=True,
        diff=True,
    )

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {
        "name": "shop",
        "auth_type": "AWS_IAM",
        "auth_policy": POLICY,
        "tags": {},
    }


def test_delete_waits_until_gone(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, "AWS_IAM", policy=POLICY)
    stubber.add_response("delete_service_network", {}, {"serviceNetworkIdentifier": ARN})
    stubber.add_client_error(
        "get_service_network",
        "ResourceNotFoundException",
        http_status_code=404,
        expected_params={"serviceNetworkIdentifier": ARN},
    )

    outcome = run_module(module, {"name": "shop", "state": "absent"}, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {}
    assert outcome.result["diff"]["before"]["auth_policy"] == POLICY


def test_check_mode_delete_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)

    outcome = run_module(module, {"name": "shop", "state": "absent"}, client, check_mode=True)

    assert not outcome.failed and outcome.result["changed"]


def test_delete_conflict_is_retried_then_reported(run_module, stubbed, monkeypatch):
    client, stubber = stubbed
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    expect_read(stubber)
    for _attempt in range(6):
        stubber.add_client_error(
            "delete_service_network",
            "ConflictException",
            "VPCs are still associated",
            http_status_code=409,
            expected_params={"serviceNetworkIdentifier": ARN},
        )

    outcome = run_module(module, {"name": "shop", "state": "absent"}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("Failed to delete service network")
    assert outcome.result["error"]["code"] == "ConflictException"


def test_aws_error_fails_with_the_handlers_message(run_module, stubbed):
    client, stubber = stubbed
    stubber.add_client_error("list_service_networks", "AccessDeniedException", "no", http_status_code=403)

    outcome = run_module(module, {"name": "shop"}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("Failed to list service networks")
