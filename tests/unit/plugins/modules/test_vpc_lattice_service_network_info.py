# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_service_network_info on moto: every network, by name, by id or ARN, with auth policies."""

from __future__ import annotations

import json

import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_service_network_info as module

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


@pytest.fixture
def networks(moto_lattice):
    shop = moto_lattice.create_service_network(name="shop", authType="AWS_IAM", tags={"team": "a"})
    ops = moto_lattice.create_service_network(name="ops", authType="NONE")
    moto_lattice.put_auth_policy(resourceIdentifier=shop["arn"], policy=json.dumps(POLICY))
    moto_lattice.recorder.operations.clear()
    return {"shop": shop, "ops": ops}


def names(outcome) -> list[str]:
    return sorted(network["name"] for network in outcome.result["service_networks"])


def test_every_network_with_tags_and_no_policy_by_default(run_module, moto_lattice, networks):
    outcome = run_module(module, {}, moto_lattice)

    assert not outcome.failed and not outcome.result["changed"]
    assert names(outcome) == ["ops", "shop"]
    shop = next(n for n in outcome.result["service_networks"] if n["name"] == "shop")
    assert (shop["id"], shop["auth_type"], shop["tags"]) == (networks["shop"]["id"], "AWS_IAM", {"team": "a"})
    assert "auth_policy" not in shop
    assert moto_lattice.recorder.writes == []


def test_by_name_with_auth_policy(run_module, moto_lattice, networks):
    outcome = run_module(module, {"name": "shop", "include_auth_policy": True}, moto_lattice)

    assert names(outcome) == ["shop"]
    assert outcome.result["service_networks"][0]["auth_policy"] == POLICY


def test_by_id_or_arn_leaves_unknown_ones_out(run_module, moto_lattice, networks):
    ids = [networks["ops"]["id"], networks["shop"]["arn"], "sn-0000000000000000a"]

    outcome = run_module(module, {"ids": ids, "include_auth_policy": True}, moto_lattice)

    assert names(outcome) == ["ops", "shop"]
    ops = next(n for n in outcome.result["service_networks"] if n["name"] == "ops")
    assert ops["auth_policy"] is None


def test_name_and_ids_are_mutually_exclusive(run_module, moto_lattice):
    outcome = run_module(module, {"name": "shop", "ids": ["sn-0000000000000000a"]}, moto_lattice)

    assert outcome.failed
    assert "mutually exclusive" in outcome.result["msg"]


def test_check_mode_still_reads(run_module, moto_lattice, networks):
    outcome = run_module(module, {"name": "ops"}, moto_lattice, check_mode=True)

    assert names(outcome) == ["ops"]
