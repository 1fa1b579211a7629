# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_service_network_service_association: create/get/list on moto; delete and tag calls on a Stubber,
which checks each request against the API model and the exact order of calls."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_service_network_service_association as module

ACCOUNT = "123456789012"
SN_ID = "sn-0123456789abcdef0"
SN_ARN = f"arn:aws:vpc-lattice:us-east-1:{ACCOUNT}:servicenetwork/{SN_ID}"
SVC_ID = "svc-0123456789abcdef0"
SVC_ARN = f"arn:aws:vpc-lattice:us-east-1:{ACCOUNT}:service/{SVC_ID}"
SNSA_ID = "snsa-0123456789abcdef0"
SNSA_ARN = f"arn:aws:vpc-lattice:us-east-1:{ACCOUNT}:servicenetworkserviceassociation/{SNSA_ID}"
WHEN = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
DNS = {"domainName": "users-0123456789abcdef0.7d67968.vpc-lattice-svcs.us-east-1.on.aws", "hostedZoneId": "Z0123"}


def association(status: str = "ACTIVE") -> dict:
    return {
        "id": SNSA_ID, "arn": SNSA_ARN, "status": status, "createdBy": ACCOUNT, "createdAt": WHEN,
        "serviceId": SVC_ID, "serviceName": "users", "serviceArn": SVC_ARN, "serviceNetworkId": SN_ID,
        "serviceNetworkName": "shop", "serviceNetworkArn": SN_ARN, "dnsEntry": DNS,
    }  # fmt: skip


def expect_read(stubber, tags: dict | None = None, exists: bool = True) -> None:
    """The calls that find both ends by name, then the association of the pair and its tags."""
    stubber.add_response("list_service_networks", {"items": [{"id": SN_ID, "name": "shop", "arn": SN_ARN}]}, {})
    stubber.add_response(
        "get_service_network", {"id": SN_ID, "name": "shop", "arn": SN_ARN, "authType": "NONE"},
        {"serviceNetworkIdentifier": SN_ID},
    )  # fmt: skip
    stubber.add_response("list_services", {"items": [{"id": SVC_ID, "name": "users", "arn": SVC_ARN}]}, {})
    stubber.add_response(
        "get_service", {"id": SVC_ID, "name": "users", "arn": SVC_ARN, "status": "ACTIVE", "dnsEntry": DNS},
        {"serviceIdentifier": SVC_ID},
    )  # fmt: skip
    items = [{"id": SNSA_ID, "arn": SNSA_ARN, "status": "ACTIVE"}] if exists else []
    stubber.add_response(
        "list_service_network_service_associations", {"items": items},
        {"serviceNetworkIdentifier": SN_ID, "serviceIdentifier": SVC_ID},
    )  # fmt: skip
    if exists:
        stubber.add_response(
            "get_service_network_service_association", association(),
            {"serviceNetworkServiceAssociationIdentifier": SNSA_ID},
        )  # fmt: skip
        stubber.add_response("list_tags_for_resource", {"tags": tags or {}}, {"resourceArn": SNSA_ARN})


@pytest.fixture
def ends(moto_lattice):
    network = moto_lattice.create_service_network(name="shop", authType="NONE")
    service = moto_lattice.create_service(name="users", authType="NONE")
    moto_lattice.recorder.operations.clear()
    return {"network": network, "service": service}


# --- moto: create, get, list ------------------------------------------------------------------


def test_check_mode_create_predicts_and_creates_nothing(run_module, moto_lattice, ends):
    args = {"service_network": "shop", "service": "users", "tags": {"team": "a"}}

    outcome = run_module(module, args, moto_lattice, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    predicted = outcome.result["association"]
    assert (predicted["service_network_id"], predicted["service_id"]) == (ends["network"]["id"], ends["service"]["id"])
    assert (predicted["service_network_name"], predicted["service_name"]) == ("shop", "users")
    assert predicted["dns_entry"]["domain_name"] == ends["service"]["dnsEntry"]["domainName"]
    assert "id" not in predicted
    assert outcome.result["diff"] == {
        "before": {},
        "after": {"service_network_id": ends["network"]["id"], "service_id": ends["service"]["id"],
                  "tags": {"team": "a"}},
    }  # fmt: skip
    assert moto_lattice.recorder.writes == []
    assert moto_lattice.list_service_network_service_associations()["items"] == []


@pytest.mark.parametrize("by", ["name", "id", "arn"])
def test_create_then_rerun_changes_nothing(run_module, moto_lattice, ends, by):
    key = {"name": "name", "id": "id", "arn": "arn"}[by]
    args = {"service_network": ends["network"][key] if by != "name" else "shop",
            "service": ends["service"][key] if by != "name" else "users", "tags": {"tier": 1}}  # fmt: skip

    first = run_module(module, args, moto_lattice)

    assert not first.failed and first.result["changed"]
    created = first.result["association"]
    assert created["id"].startswith("snsa-") and created["status"] == "ACTIVE"
    assert (created["service_network_id"], created["service_id"]) == (ends["network"]["id"], ends["service"]["id"])
    assert set(created["dns_entry"]) == {"domain_name", "hosted_zone_id"}
    assert created["tags"] == {"tier": "1"}
    assert moto_lattice.recorder.writes == ["CreateServiceNetworkServiceAssociation"]

    moto_lattice.recorder.operations.clear()
    second = run_module(module, args, moto_lattice, diff=True)

    assert not second.failed and not second.result["changed"]
    assert moto_lattice.recorder.writes == []
    assert second.result["association"]["id"] == created["id"]
    assert second.result["diff"]["before"] == second.result["diff"]["after"]


@pytest.mark.parametrize(
    "args, message",
    [
        ({"service_network": "nowhere", "service": "users"}, "service_network 'nowhere' was not found"),
        ({"service_network": "shop", "service": "nobody"}, "service 'nobody' was not found"),
    ],
)
def test_unknown_end_fails_before_any_write(run_module, moto_lattice, ends, args, message):
    outcome = run_module(module, args, moto_lattice)

    assert outcome.failed and outcome.result["msg"] == message
    assert moto_lattice.recorder.writes == []


def test_absent_with_unknown_ends_is_not_changed(run_module, moto_lattice, ends):
    for args in ({"service_network": "nowhere", "service": "users"}, {"service_network": "shop", "service": "nobody"},
                 {"service_network": "shop", "service": "users"}):  # fmt: skip
        outcome = run_module(module, dict(args, state="absent"), moto_lattice)
        assert not outcome.failed and not outcome.result["changed"]
        assert "association" not in outcome.result
    assert moto_lattice.recorder.writes == []


# --- Stubber: create waits, tags, delete ---------------------------------------------------------


def test_create_waits_for_active(run_module, stubbed, monkeypatch):
    client, stubber = stubbed
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    expect_read(stubber, exists=False)
    stubber.add_response(
        "create_service_network_service_association",
        {"id": SNSA_ID, "arn": SNSA_ARN, "status": "CREATE_IN_PROGRESS", "dnsEntry": DNS},
        {"serviceNetworkIdentifier": SN_ID, "serviceIdentifier": SVC_ID},
    )
    for status in ("CREATE_IN_PROGRESS", "ACTIVE"):
        stubber.add_response(
            "get_service_network_service_association", association(status),
            {"serviceNetworkServiceAssociationIdentifier": SNSA_ID},
        )  # fmt: skip
    stubber.add_response("list_tags_for_resource", {"tags": {}}, {"resourceArn": SNSA_ARN})

    outcome = run_module(module, {"service_network": "shop", "service": "users"}, client)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["association"]["status"] == "ACTIVE"
    assert outcome.result["association"]["dns_entry"] == {"domain_name": DNS["domainName"], "hosted_zone_id": "Z0123"}


def test_tags_are_set_and_purged(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, tags={"team": "a", "old": "1"})
    stubber.add_response("untag_resource", {}, {"resourceArn": SNSA_ARN, "tagKeys": ["old"]})
    stubber.add_response("tag_resource", {}, {"resourceArn": SNSA_ARN, "tags": {"team": "b"}})

    outcome = run_module(module, {"service_network": "shop", "service": "users", "tags": {"team": "b"}}, client,
                         diff=True)  # fmt: skip

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["association"]["tags"] == {"team": "b"}
    assert outcome.result["diff"]["before"]["tags"] == {"team": "a", "old": "1"}


def test_check_mode_tag_change_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, tags={"team": "a"})

    outcome = run_module(module, {"service_network": "shop", "service": "users", "tags": {}}, client, check_mode=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["association"]["tags"] == {}


def test_delete_waits_until_gone(run_module, stubbed, monkeypatch):
    client, stubber = stubbed
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    expect_read(stubber)
    stubber.add_response(
        "delete_service_network_service_association",
        {"id": SNSA_ID, "arn": SNSA_ARN, "status": "DELETE_IN_PROGRESS"},
        {"serviceNetworkServiceAssociationIdentifier": SNSA_ID},
    )
    stubber.add_response(
        "get_service_network_service_association", association("DELETE_IN_PROGRESS"),
        {"serviceNetworkServiceAssociationIdentifier": SNSA_ID},
    )  # fmt: skip
    stubber.add_client_error(
        "get_service_network_service_association", "ResourceNotFoundException", http_status_code=404,
        expected_params={"serviceNetworkServiceAssociationIdentifier": SNSA_ID},
    )  # fmt: skip

    outcome = run_module(module, {"service_network": "shop", "service": "users", "state": "absent"}, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {}
    assert outcome.result["diff"]["before"]["service_id"] == SVC_ID


def test_check_mode_delete_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)

    outcome = run_module(
        module, {"service_network": "shop", "service": "users", "state": "absent"}, client, check_mode=True
    )

    assert not outcome.failed and outcome.result["changed"]


def test_aws_error_fails_with_the_handlers_message(run_module, stubbed):
    client, stubber = stubbed
    stubber.add_client_error("list_service_networks", "AccessDeniedException", "no", http_status_code=403)

    outcome = run_module(module, {"service_network": "shop", "service": "users"}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("Failed to list service networks")
