# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_service_network_vpc_association: create/get/list on moto (with the emulator's Lattice lifecycle);
update, delete and tag calls on a Stubber, which checks each request against the API model and the order of calls."""

from __future__ import annotations

from datetime import datetime, timezone

import moto_lattice
import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_service_network_vpc_association as module

SN_ID = "sn-0123456789abcdef0"
SN_ARN = f"arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/{SN_ID}"
SNVA_ID = "snva-0123456789abcdef0"
SNVA_ARN = f"arn:aws:vpc-lattice:us-east-1:123456789012:servicenetworkvpcassociation/{SNVA_ID}"
VPC = "vpc-0123456789abcdef0"
SG1, SG2 = "sg-0123456789abcdef0", "sg-0123456789abcdef1"
WHEN = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def lattice_lifecycle():
    """moto with the emulator's Get/Update/Delete of VPC associations (tests/harness/moto_lattice.py)."""
    moto_lattice.apply()


def association(groups: list | None = None, status: str = "ACTIVE") -> dict:
    return {
        "id": SNVA_ID, "arn": SNVA_ARN, "status": status, "createdBy": "123456789012", "createdAt": WHEN,
        "lastUpdatedAt": WHEN, "serviceNetworkId": SN_ID, "serviceNetworkName": "shop", "serviceNetworkArn": SN_ARN,
        "vpcId": VPC, "securityGroupIds": groups or [],
    }  # fmt: skip


def expect_read(stubber, groups: list | None = None, tags: dict | None = None, lookup: bool = True) -> None:
    """Find the network by name, list its associations with the VPC, get the association and its tags."""
    if lookup:
        stubber.add_response("list_service_networks", {"items": [{"id": SN_ID, "name": "shop", "arn": SN_ARN}]}, {})
        stubber.add_response(
            "get_service_network", {"id": SN_ID, "name": "shop", "arn": SN_ARN}, {"serviceNetworkIdentifier": SN_ID}
        )
        summary = {"id": SNVA_ID, "arn": SNVA_ARN, "status": "ACTIVE", "vpcId": VPC, "serviceNetworkId": SN_ID}
        stubber.add_response(
            "list_service_network_vpc_associations",
            {"items": [summary]},
            {"serviceNetworkIdentifier": SN_ID, "vpcIdentifier": VPC},
        )
    stubber.add_response(
        "get_service_network_vpc_association",
        association(groups),
        {"serviceNetworkVpcAssociationIdentifier": SNVA_ID},
    )
    stubber.add_response("list_tags_for_resource", {"tags": tags or {}}, {"resourceArn": SNVA_ARN})


# --- moto: create, get, list ------------------------------------------------------------------


def network(client) -> dict:
    return client.create_service_network(name="shop")


def test_check_mode_create_predicts_and_creates_nothing(run_module, moto_lattice):
    created = network(moto_lattice)
    moto_lattice.recorder.operations.clear()
    args = {"service_network": "shop", "vpc_id": VPC, "security_group_ids": [SG2, SG1], "tags": {"team": "a"}}

    outcome = run_module(module, args, moto_lattice, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["association"] == {
        "service_network_id": created["id"], "service_network_name": "shop", "service_network_arn": created["arn"],
        "vpc_id": VPC, "security_group_ids": [SG1, SG2], "tags": {"team": "a"},
    }  # fmt: skip
    assert outcome.result["diff"]["before"] == {}
    assert outcome.result["diff"]["after"]["security_group_ids"] == [SG1, SG2]
    assert moto_lattice.recorder.writes == []
    assert moto_lattice.list_service_network_vpc_associations(vpcIdentifier=VPC)["items"] == []


def test_create_then_rerun_changes_nothing(run_module, moto_lattice):
    created_network = network(moto_lattice)
    moto_lattice.recorder.operations.clear()
    args = {"service_network": created_network["arn"], "vpc_id": VPC, "security_group_ids": [SG1], "tags": {"n": 1}}

    first = run_module(module, args, moto_lattice)

    assert not first.failed and first.result["changed"]
    created = first.result["association"]
    assert created["id"].startswith("snva-") and created["status"] == "ACTIVE"
    assert (created["vpc_id"], created["security_group_ids"], created["tags"]) == (VPC, [SG1], {"n": "1"})
    assert created["service_network_id"] == created_network["id"]
    assert moto_lattice.recorder.writes == ["CreateServiceNetworkVpcAssociation"]

    moto_lattice.recorder.operations.clear()
    second = run_module(module, dict(args, service_network="shop"), moto_lattice, diff=True)

    assert not second.failed and not second.result["changed"]
    assert moto_lattice.recorder.writes == []
    assert second.result["diff"]["before"] == second.result["diff"]["after"]
    assert second.result["association"]["id"] == created["id"]


def test_absent_association_is_not_changed(run_module, moto_lattice):
    network(moto_lattice)

    outcome = run_module(module, {"service_network": "shop", "vpc_id": VPC, "state": "absent"}, moto_lattice)

    assert not outcome.failed and not outcome.result["changed"]
    assert "association" not in outcome.result


def test_unknown_network_fails_before_any_write(run_module, moto_lattice):
    outcome = run_module(module, {"service_network": "nope", "vpc_id": VPC}, moto_lattice)
    absent = run_module(module, {"service_network": "nope", "vpc_id": VPC, "state": "absent"}, moto_lattice)

    assert outcome.failed and outcome.result["msg"] == "service_network 'nope' was not found"
    assert not absent.failed and not absent.result["changed"]
    assert moto_lattice.recorder.writes == []


# --- refused before any call --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        ({"vpc_id": "vpc-xyz"}, "vpc_id must be a VPC ID"),
        ({"security_group_ids": ["default"]}, "security_group_ids must be security group IDs"),
        ({"security_group_ids": [f"sg-0123456789abcdef{n}" for n in range(6)]}, "at most 5"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, stubbed, args, message):
    client, _stubber = stubbed  # nothing queued: any call would fail the test

    outcome = run_module(module, dict({"service_network": "shop", "vpc_id": VPC}, **args), client)

    assert outcome.failed
    assert message in outcome.result["msg"]


# --- Stubber: update, tag, delete ---------------------------------------------------------------


def test_security_groups_are_replaced_in_place_and_waited_for(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, [SG1], tags={"team": "a"})
    stubber.add_response(
        "update_service_network_vpc_association",
        {"id": SNVA_ID, "arn": SNVA_ARN, "status": "UPDATE_IN_PROGRESS", "securityGroupIds": [SG1, SG2]},
        {"serviceNetworkVpcAssociationIdentifier": SNVA_ID, "securityGroupIds": [SG1, SG2]},
    )
    stubber.add_response(
        "get_service_network_vpc_association",
        association([SG1, SG2]),
        {"serviceNetworkVpcAssociationIdentifier": SNVA_ID},
    )
    stubber.add_response("list_tags_for_resource", {"tags": {"team": "a"}}, {"resourceArn": SNVA_ARN})

    outcome = run_module(
        module, {"service_network": "shop", "vpc_id": VPC, "security_group_ids": [SG2, SG1]}, client, diff=True
    )

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["before"]["security_group_ids"] == [SG1]
    assert outcome.result["diff"]["after"]["security_group_ids"] == [SG1, SG2]
    assert outcome.result["association"]["created_at"] == "2025-01-31T12:00:00+00:00"


def test_same_groups_in_another_order_are_not_a_change(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, [SG1, SG2])

    outcome = run_module(module, {"service_network": "shop", "vpc_id": VPC, "security_group_ids": [SG2, SG1]}, client)

    assert not outcome.failed and not outcome.result["changed"]


def test_removing_every_security_group_is_refused_before_any_write(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, [SG1])

    outcome = run_module(module, {"service_network": "shop", "vpc_id": VPC, "security_group_ids": []}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("security_group_ids: AWS cannot remove every security group")
    assert "state=absent" in outcome.result["msg"]


def test_tags_are_set_and_purged(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, tags={"team": "a", "old": "1"})
    stubber.add_response("untag_resource", {}, {"resourceArn": SNVA_ARN, "tagKeys": ["old"]})
    stubber.add_response("tag_resource", {}, {"resourceArn": SNVA_ARN, "tags": {"team": "b"}})
    expect_read(stubber, tags={"team": "b"}, lookup=False)

    outcome = run_module(module, {"service_network": "shop", "vpc_id": VPC, "tags": {"team": "b"}}, client)

    assert outcome.result["changed"]
    assert outcome.result["association"]["tags"] == {"team": "b"}


def test_check_mode_update_predicts_without_writing(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, [SG1], tags={"team": "a"})  # reads only; a write would find no queued response

    outcome = run_module(
        module,
        {"service_network": "shop", "vpc_id": VPC, "security_group_ids": [SG2], "tags": {}},
        client,
        check_mode=True,
        diff=True,
    )

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {
        "service_network_id": SN_ID,
        "vpc_id": VPC,
        "security_group_ids": [SG2],
        "tags": {},
    }


def test_delete_waits_until_gone(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber, [SG1])
    stubber.add_response(
        "delete_service_network_vpc_association",
        {"id": SNVA_ID, "arn": SNVA_ARN, "status": "DELETE_IN_PROGRESS"},
        {"serviceNetworkVpcAssociationIdentifier": SNVA_ID},
    )
    stubber.add_client_error(
        "get_service_network_vpc_association",
        "ResourceNotFoundException",
        http_status_code=404,
        expected_params={"serviceNetworkVpcAssociationIdentifier": SNVA_ID},
    )

    outcome = run_module(module, {"service_network": "shop", "vpc_id": VPC, "state": "absent"}, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {}
    assert outcome.result["diff"]["before"]["security_group_ids"] == [SG1]


def test_check_mode_delete_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_read(stubber)

    outcome = run_module(module, {"service_network": "shop", "vpc_id": VPC, "state": "absent"}, client, check_mode=True)

    assert not outcome.failed and outcome.result["changed"]


def test_create_conflict_is_reported_with_the_handlers_message(run_module, stubbed):
    client, stubber = stubbed
    stubber.add_response("list_service_networks", {"items": [{"id": SN_ID, "name": "shop", "arn": SN_ARN}]}, {})
    stubber.add_response(
        "get_service_network", {"id": SN_ID, "name": "shop", "arn": SN_ARN}, {"serviceNetworkIdentifier": SN_ID}
    )
    stubber.add_response(
        "list_service_network_vpc_associations",
        {"items": []},
        {"serviceNetworkIdentifier": SN_ID, "vpcIdentifier": VPC},
    )
    stubber.add_client_error(
        "create_service_network_vpc_association",
        "ConflictException",
        "The VPC is already associated with another service network",
        http_status_code=409,
    )

    outcome = run_module(module, {"service_network": "shop", "vpc_id": VPC}, client)

    assert outcome.failed
    assert outcome.result["msg"].startswith("Failed to create service network VPC association")
    assert outcome.result["error"]["code"] == "ConflictException"
