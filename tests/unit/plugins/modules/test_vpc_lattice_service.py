# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_service: create/get/list on moto; update, delete, tag and auth-policy calls on a Stubber,
which checks each request against the API model and the exact order of calls."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_service as module

SVC_ID = "svc-0123456789abcdef0"
ARN = f"arn:aws:vpc-lattice:us-east-1:123456789012:service/{SVC_ID}"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-4567-89ef-0123-456789abcdef"
CERT2 = "arn:aws:acm:us-east-1:123456789012:certificate/fedcba98-7654-3210-fedc-ba9876543210"
WHEN = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
DNS = {"domainName": "users-0123456789abcdef0.7d67968.vpc-lattice-svcs.us-east-1.on.aws", "hostedZoneId": "Z0123"}
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}],
}


def service(auth_type: str = "NONE", status: str = "ACTIVE", **extra) -> dict:
    return dict(
        {"id": SVC_ID, "name": "users", "arn": ARN, "authType": auth_type, "status": status, "createdAt": WHEN,
         "lastUpdatedAt": WHEN, "dnsEntry": DNS},
        **extra,
    )  # fmt: skip


def expect_read(
    stubber, auth_type: str = "NONE", tags: dict | None = None, policy: dict | None = None, lookup: bool = True,
    **extra,
) -> None:  # fmt: skip
    """The calls that read the service: find it by name (lookup), then GetService, its tags, its policy."""
    if lookup:
        stubber.add_response("list_services", {"items": [{"id": SVC_ID, "name": "users", "arn": ARN}]}, {})
    stubber.add_response("get_service", service(auth_type, **extra), {"serviceIdentifier": SVC_ID if lookup else ARN})
    stubber.add_response("list_tags_for_resource", {"tags": tags or {}}, {"resourceArn": ARN})
    if policy is None:
        stubber.add_client_error(
            "get_auth_policy", "ResourceNotFoundException", http_status_code=404,
            expected_params={"resourceIdentifier": ARN},
        )  # fmt: skip
    else:
        stubber.add_response(
            "get_auth_policy", {"policy": json.dumps(policy), "state": "Active"}, {"resourceIdentifier": ARN}
        )


def compact(policy: dict) -> str:
    return json.dumps(policy, separators=(",", ":"))


# --- moto: create, get, list ------------------------------------------------------------------


def test_check_mode_create_predicts_and_creates_nothing(run_module, moto_lattice):
    args = {"name": "users", "custom_domain_name": "users.example.com", "tags": {"team": "a"}}

    outcome = run_module(module, args, moto_lattice, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    expected = {
        "name": "users", "auth_type": "NONE", "auth_policy": None, "custom_domain_name": "users.example.com",
        "certificate_arn": None, "tags": {"team": "a"},
    }  # fmt: skip
    assert outcome.result["service"] == expected
    assert outcome.result["diff"] == {"before": {}, "after": expected}
    assert moto_lattice.recorder.writes == []
    assert moto_lattice.list_services()["items"] == []


def test_create_then_rerun_changes_nothing(run_module, moto_lattice):
    args = {
        "name": "users", "auth_type": "AWS_IAM", "auth_policy": POLICY, "custom_domain_name": "users.example.com",
        "certificate_arn": CERT, "tags": {"team": "a"},
    }  # fmt: skip

    first = run_module(module, args, moto_lattice)

    assert not first.failed and first.result["changed"]
    created = first.result["service"]
    assert created["id"].startswith("svc-") and created["arn"].endswith(created["id"])
    assert (created["name"], created["auth_type"], created["status"]) == ("users", "AWS_IAM", "ACTIVE")
    assert (created["custom_domain_name"], created["certificate_arn"]) == ("users.example.com", CERT)
    assert created["auth_policy"] == POLICY and created["tags"] == {"team": "a"}
    assert set(created["dns_entry"]) == {"domain_name", "hosted_zone_id"}
    assert moto_lattice.recorder.writes == ["CreateService", "PutAuthPolicy"]

    moto_lattice.recorder.operations.clear()
    # The same policy as a reordered JSON string is the same policy.
    same = dict(args, auth_policy=json.dumps({"Statement": POLICY["Statement"], "Version": "2012-10-17"}, indent=2))
    second = run_module(module, same, moto_lattice, diff=True)

    assert not second.failed and not second.result["changed"]
    assert moto_lattice.recorder.writes == []
    assert second.result["diff"]["before"] == second.result["diff"]["after"]
    assert second.result["service"]["id"] == created["id"]


def test_unmanaged_settings_are_left_alone(run_module, moto_lattice):
    moto_lattice.create_service(
        name="users", authType="NONE", customDomainName="users.example.com", certificateArn=CERT
    )
    moto_lattice.recorder.operations.clear()

    outcome = run_module(module, {"name": "users"}, moto_lattice)

    assert not outcome.failed and not outcome.result["changed"]
    assert outcome.result["service"]["custom_domain_name"] == "users.example.com"
    assert moto_lattice.recorder.writes == []


def test_custom_domain_change_is_refused_before_any_write(run_module, moto_lattice):
    moto_lattice.create_service(name="users", customDomainName="users.example.com")
    moto_lattice.recorder.operations.clear()

    outcome = run_module(module, {"name": "users", "custom_domain_name": "people.example.com", "tags": {"a": "b"}},
                         moto_lattice)  # fmt: skip

    assert outcome.failed
    assert outcome.result["msg"].startswith("custom_domain_name cannot change from 'users.example.com'")
    assert moto_lattice.recorder.writes == []


def test_custom_domain_cannot_be_added_to_an_existing_service(run_module, moto_lattice):
    moto_lattice.create_service(name="users")
    moto_lattice.recorder.operations.clear()

    outcome = run_module(module, {"name": "users", "custom_domain_name": "users.example.com"}, moto_lattice)

    assert outcome.failed and "custom_domain_name cannot change from None" in outcome.result["msg"]
    assert moto_lattice.recorder.writes == []


def test_absent_service_is_not_changed(run_module, moto_lattice):
    outcome = run_module(module, {"name": "users", "state": "absent"}, moto_lattice)

    assert not outcome.failed and not outcome.result["changed"]
    assert "service" not in outcome.result
    assert moto_lattice.recorder.writes == []


# --- refused before any call --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        ({"name": "svc-users"}, "name must be 3 to 40"),
        ({"name": "Users"}, "name must be 3 to 40"),
        ({"name": "users--a"}, "name must be 3 to 40"),
        ({"custom_domain_name": "not a domain"}, "custom_domain_name must be a domain name"),
        ({"certificate_arn": "arn:aws:iam::123456789012:server-certificate/x"}, "certificate_arn must be the ARN"),
        ({"auth_type": "AWS_IAM", "auth_policy": '{"Version": "2012-10-17",'}, "auth_policy is not valid JSON"),
        ({"auth_type": "AWS_IAM", "auth_policy": "[]"}, "auth_policy must be a JSON object"),
        ({"auth_policy": POLICY}, "auth_policy requires auth_type=AWS_IAM"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, stubbed, args, message):
    client, _stubber = stubbed  # nothing queued: any call would fail the test

    outcome = run_module(module, dict({"name": "users"}, **args), client)

    assert outcome.failed
    assert message in outcome.result["msg"]


# --- Stubber: create waits, update, tag, auth policy, delete -------------------------------------


def test_create_waits_for_active(run_module, stubbed, monkeypatch):
    client, stubber = stubbed
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    stubber.add_response("list_services", {"items": []}, {})
    stubber.add_response(
        "create_service",
        {"id": SVC_ID, "arn": ARN, "name": "users", "status": "CREATE_IN_PROGRESS", "authType": "NONE"},
        {"name": "users", "authType": "NONE"},
    )
    stubber.add_response("get_service", service(status="CREATE_IN_PROGRESS"), {"serviceIdentifier": ARN})
    stubber.add_response("get_service", service(), {"serviceIdentifier": ARN})
    expect_read(stubber, lookup=False)  # the final read (waits again: already ACTIVE)

    outcome = run_module(module, {"name": "users"}, client)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["service"]["status"] == "ACTIVE"
    assert outcome.result["service"]["dns_entry"]["domain_name"] == DNS["domainName"]


def test_create_failed_is_reported_with_the_reason(run_module, stubbed):
    client, stubber = stubbed
    stubber.add_response("list_services", {"items": []}, {})
    stubber.add_response("create_service", {"id": SVC_ID, "arn": ARN, "status": "CREATE_IN_PROGRESS"}, None)
    failed = service(status="CREATE_FAILED", failureMessage="quota exceeded")
    stubber.add_response("get_service", failed, {"serviceIdentifier": ARN})

    outcome = run_module(module, {"name": "users"}, client)

    assert outcome.failed
    assert "The service is CREATE_FAILED: quota exceeded" in outcome.result["msg"]


def test_switch_to_aws_iam_and_new_certificate_put_the_policy_first(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, "NONE", tags={"team": "a"}, customDomainName="users.example.com", certificateArn=CERT)
    stubber.add_response(
        "put_auth_policy", {"policy": compact(POLICY), "state": "Inactive"},
        {"resourceIdentifier": ARN, "policy": compact(POLICY)},
    )  # fmt: skip
    stubber.add_response(
        "update_service", {"id": SVC_ID, "arn": ARN, "name": "users", "authType": "AWS_IAM", "certificateArn": CERT2},
        {"serviceIdentifier": ARN, "authType": "AWS_IAM", "certificateArn": CERT2},
    )  # fmt: skip
    expect_read(stubber, "AWS_IAM", tags={"team": "a"}, policy=POLICY, lookup=False,
                customDomainName="users.example.com", certificateArn=CERT2)  # fmt: skip
    args = {"name": "users", "auth_type": "AWS_IAM", "auth_policy": POLICY, "certificate_arn": CERT2,
            "custom_domain_name": "USERS.example.com"}  # fmt: skip

    outcome = run_module(module, args, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    common = {"name": "users", "custom_domain_name": "users.example.com", "tags": {"team": "a"}}
    assert outcome.result["diff"] == {
        "before": dict(common, auth_type="NONE", auth_policy=None, certificate_arn=CERT),
        "after": dict(common, auth_type="AWS_IAM", auth_policy=POLICY, certificate_arn=CERT2),
    }
    assert outcome.result["service"]["created_at"] == "2025-01-31T12:00:00+00:00"


def test_switch_to_none_turns_iam_off_before_deleting_the_policy(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, "AWS_IAM", policy=POLICY)
    stubber.add_response(
        "update_service", {"id": SVC_ID, "arn": ARN, "name": "users", "authType": "NONE"},
        {"serviceIdentifier": ARN, "authType": "NONE"},
    )  # fmt: skip
    stubber.add_response("delete_auth_policy", {}, {"resourceIdentifier": ARN})
    expect_read(stubber, "NONE", lookup=False)

    outcome = run_module(module, {"name": "users"}, client)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["service"]["auth_policy"] is None


def test_tags_are_set_and_purged(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, tags={"team": "a", "old": "1"})
    stubber.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["old"]})
    stubber.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": {"team": "b"}})
    expect_read(stubber, tags={"team": "b"}, lookup=False)

    outcome = run_module(module, {"name": "users", "tags": {"team": "b"}}, client, diff=True)

    assert outcome.result["changed"]
    assert outcome.result["diff"]["before"]["tags"] == {"team": "a", "old": "1"}
    assert outcome.result["diff"]["after"]["tags"] == {"team": "b"}


def test_check_mode_update_predicts_without_writing(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, "NONE", tags={"team": "a"})  # reads only; a write would find no queued response

    outcome = run_module(
        module, {"name": "users", "auth_type": "AWS_IAM", "auth_policy": POLICY, "certificate_arn": CERT, "tags": {}},
        client, check_mode=True, diff=True,
    )  # fmt: skip

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {
        "name": "users", "auth_type": "AWS_IAM", "auth_policy": POLICY, "custom_domain_name": None,
        "certificate_arn": CERT, "tags": {},
    }  # fmt: skip


def test_delete_waits_until_gone(run_module, stubbed, monkeypatch):
    client, stubber = stubbed
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    expect_read(stubber, "AWS_IAM", policy=POLICY)
    stubber.add_response(
        "delete_service", {"id": SVC_ID, "arn": ARN, "status": "DELETE_IN_PROGRESS"}, {"serviceIdentifier": ARN}
    )
    stubber.add_response("get_service", service(status="DELETE_IN_PROGRESS"), {"serviceIdentifier": ARN})
    stubber.add_client_error(
        "get_service", "ResourceNotFoundException", http_status_code=404, expected_params={"serviceIdentifier": ARN}
    )

    outcome = run_module(module, {"name": "users", "state": "absent"}, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {}
    assert outcome.result["diff"]["before"]["auth_policy"] == POLICY


def test_check_mode_delete_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)

    outcome = run_module(module, {"name": "users", "state": "absent"}, client, check_mode=True)

    assert not outcome.failed and outcome.result["changed"]


def test_delete_while_associated_is_retried_then_reported(run_module, stubbed, monkeypatch):
    client, stubber = stubbed
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    expect_read(stubber)
    for _attempt in range(6):
        stubber.add_client_error(
            "delete_service", "ConflictException", "associated with a service network", http_status_code=409,
            expected_params={"serviceIdentifier": ARN},
        )  # fmt: skip

    outcome = run_module(module, {"name": "users", "state": "absent"}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("Failed to delete service")
    assert outcome.result["error"]["code"] == "ConflictException"
