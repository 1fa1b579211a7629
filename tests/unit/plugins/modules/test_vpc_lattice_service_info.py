# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_service_info on moto: every service, by name, by id or ARN, with auth policies."""

from __future__ import annotations

import json

import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_service_info as module

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


@pytest.fixture
def services(moto_lattice):
    users = moto_lattice.create_service(
        name="users", authType="AWS_IAM", customDomainName="users.example.com", tags={"team": "a"}
    )
    orders = moto_lattice.create_service(name="orders")
    moto_lattice.put_auth_policy(resourceIdentifier=users["arn"], policy=json.dumps(POLICY))
    moto_lattice.recorder.operations.clear()
    return {"users": users, "orders": orders}


def names(outcome) -> list[str]:
    return sorted(service["name"] for service in outcome.result["services"])


def test_every_service_with_tags_and_no_policy_by_default(run_module, moto_lattice, services):
    outcome = run_module(module, {}, moto_lattice)

    assert not outcome.failed and not outcome.result["changed"]
    assert names(outcome) == ["orders", "users"]
    users = next(s for s in outcome.result["services"] if s["name"] == "users")
    assert (users["id"], users["auth_type"], users["tags"]) == (services["users"]["id"], "AWS_IAM", {"team": "a"})
    assert users["custom_domain_name"] == "users.example.com"
    assert set(users["dns_entry"]) == {"domain_name", "hosted_zone_id"}
    assert "auth_policy" not in users
    orders = next(s for s in outcome.result["services"] if s["name"] == "orders")
    assert (orders["custom_domain_name"], orders["certificate_arn"]) == (None, None)
    assert moto_lattice.recorder.writes == []


def test_by_name_with_auth_policy(run_module, moto_lattice, services):
    outcome = run_module(module, {"name": "users", "include_auth_policy": True}, moto_lattice)

    assert names(outcome) == ["users"]
    assert outcome.result["services"][0]["auth_policy"] == POLICY


def test_by_id_or_arn_leaves_unknown_ones_out(run_module, moto_lattice, services):
    ids = [services["orders"]["id"], services["users"]["arn"], "svc-0000000000000000a"]

    outcome = run_module(module, {"ids": ids, "include_auth_policy": True}, moto_lattice)

    assert names(outcome) == ["orders", "users"]
    orders = next(s for s in outcome.result["services"] if s["name"] == "orders")
    assert orders["auth_policy"] is None


def test_unknown_name_is_an_empty_list(run_module, moto_lattice, services):
    outcome = run_module(module, {"name": "nobody"}, moto_lattice, check_mode=True)

    assert not outcome.failed and outcome.result["services"] == []


def test_name_and_ids_are_mutually_exclusive(run_module, moto_lattice):
    outcome = run_module(module, {"name": "users", "ids": ["svc-0000000000000000a"]}, moto_lattice)

    assert outcome.failed
    assert "mutually exclusive" in outcome.result["msg"]
