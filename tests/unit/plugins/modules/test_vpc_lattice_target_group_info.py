# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_target_group_info: every group, by name, by id or ARN on moto; targets on a Stubber."""

from __future__ import annotations

import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_target_group_info as module

VPC = "vpc-0123456789abcdef0"
CONFIG = {"port": 80, "protocol": "HTTP", "vpcIdentifier": VPC}


@pytest.fixture
def groups(moto_lattice):
    users = moto_lattice.create_target_group(name="users", type="INSTANCE", config=CONFIG, tags={"team": "a"})
    thumbs = moto_lattice.create_target_group(name="thumbs", type="LAMBDA")
    moto_lattice.recorder.operations.clear()
    return {"users": users, "thumbs": thumbs}


def names(outcome) -> list[str]:
    return sorted(group["name"] for group in outcome.result["target_groups"])


def test_every_group_with_tags(run_module, moto_lattice, groups):
    outcome = run_module(module, {}, moto_lattice)

    assert not outcome.failed and not outcome.result["changed"]
    assert names(outcome) == ["thumbs", "users"]
    users = next(g for g in outcome.result["target_groups"] if g["name"] == "users")
    assert (users["id"], users["type"], users["tags"]) == (groups["users"]["id"], "INSTANCE", {"team": "a"})
    assert users["config"]["vpc_identifier"] == VPC
    assert "targets" not in users
    assert moto_lattice.recorder.writes == []


def test_by_name(run_module, moto_lattice, groups):
    assert names(run_module(module, {"name": "users"}, moto_lattice)) == ["users"]
    assert names(run_module(module, {"name": "nothing"}, moto_lattice)) == []


def test_by_id_or_arn_leaves_unknown_ones_out(run_module, moto_lattice, groups):
    ids = [groups["users"]["id"], groups["thumbs"]["arn"], "tg-0000000000000000a"]

    assert names(run_module(module, {"ids": ids}, moto_lattice)) == ["thumbs", "users"]


def test_name_and_ids_are_mutually_exclusive(run_module, moto_lattice):
    outcome = run_module(module, {"name": "users", "ids": ["tg-0000000000000000a"]}, moto_lattice)

    assert outcome.failed and "mutually exclusive" in outcome.result["msg"]


def test_targets_on_request(run_module, stubbed):
    client, stubber = stubbed
    arn = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0"
    group = {"id": "tg-0123456789abcdef0", "arn": arn, "name": "users", "type": "IP", "status": "ACTIVE"}
    stubber.add_response("get_target_group", group, {"targetGroupIdentifier": arn})
    stubber.add_response("list_tags_for_resource", {"tags": {}}, {"resourceArn": arn})
    items = [
        {"id": "10.0.0.2", "port": 80, "status": "UNHEALTHY", "reasonCode": "HealthCheckFailed"},
        {"id": "10.0.0.1", "port": 80, "status": "HEALTHY"},
    ]
    stubber.add_response("list_targets", {"items": items}, {"targetGroupIdentifier": arn})

    outcome = run_module(module, {"ids": [arn], "include_targets": True}, client)

    assert outcome.result["target_groups"][0]["targets"] == [
        {"id": "10.0.0.1", "port": 80, "status": "HEALTHY"},
        {"id": "10.0.0.2", "port": 80, "status": "UNHEALTHY", "reason_code": "HealthCheckFailed"},
    ]
