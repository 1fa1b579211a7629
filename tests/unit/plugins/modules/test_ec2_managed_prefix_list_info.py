# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ec2_managed_prefix_list_info on moto (AWS-managed lists included) and on a Stubber (AWS's unknown-ID error)."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.blueprint.aws.plugins.modules import ec2_managed_prefix_list_info as module
from botocore.stub import Stubber
from moto import mock_aws

REGION = "us-east-1"  # the region run_module gives every module
LATTICE = f"com.amazonaws.{REGION}.vpc-lattice"


def ec2_client():
    return boto3.client("ec2", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture
def moto_ec2():
    with mock_aws():
        client = ec2_client()
        client.create_managed_prefix_list(
            PrefixListName="office", AddressFamily="IPv4", MaxEntries=5,
            Entries=[{"Cidr": "198.51.100.0/24", "Description": "head office"}],
            TagSpecifications=[{"ResourceType": "prefix-list", "Tags": [{"Key": "team", "Value": "ops"}]}],
        )  # fmt: skip
        yield client


def test_aws_managed_list_by_name(run_module, moto_ec2):
    outcome = run_module(module, {"names": [LATTICE], "include_entries": True, "fail_on_missing": True}, moto_ec2)

    assert not outcome.failed and not outcome.result["changed"]
    [found] = outcome.result["prefix_lists"]
    assert (found["prefix_list_name"], found["owner_id"], found["address_family"]) == (LATTICE, "AWS", "IPv4")
    assert found["prefix_list_id"].startswith("pl-")
    assert [entry["cidr"] for entry in found["entries"]] == ["169.254.171.0/24"]


def test_own_list_by_id_with_tags(run_module, moto_ec2):
    office = moto_ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": ["office"]}])
    office_id = office["PrefixLists"][0]["PrefixListId"]

    outcome = run_module(module, {"ids": [office_id], "include_entries": True}, moto_ec2)

    [found] = outcome.result["prefix_lists"]
    assert (found["prefix_list_name"], found["tags"]) == ("office", {"team": "ops"})
    assert found["entries"] == [{"cidr": "198.51.100.0/24", "description": "head office"}]


def test_missing_name_is_empty_or_fails_naming_it(run_module, moto_ec2):
    quiet = run_module(module, {"names": ["no-such-list"]}, moto_ec2)
    assert not quiet.failed and quiet.result["prefix_lists"] == []

    loud = run_module(module, {"names": [LATTICE, "no-such-list"], "fail_on_missing": True}, moto_ec2)
    assert loud.failed
    assert loud.result["msg"] == "No managed prefix list named or with ID: no-such-list"
    assert [item["prefix_list_name"] for item in loud.result["prefix_lists"]] == [LATTICE]


def test_unknown_id_is_left_out_not_an_error(run_module):
    """AWS answers an unknown ID with InvalidPrefixListID.NotFound; the module asks per ID and keeps the rest."""
    client = ec2_client()
    known = {"PrefixListId": "pl-0123456789abcdef0", "PrefixListName": "office", "OwnerId": "123456789012",
             "AddressFamily": "IPv4", "State": "create-complete", "Tags": []}
    with Stubber(client) as stubber:
        stubber.add_client_error("describe_managed_prefix_lists", "InvalidPrefixListID.NotFound",
                                 expected_params={"PrefixListIds": ["pl-00000000000000000"]})
        stubber.add_response("describe_managed_prefix_lists", {"PrefixLists": [known]},
                             expected_params={"PrefixListIds": ["pl-0123456789abcdef0"]})
        outcome = run_module(module, {"ids": ["pl-00000000000000000", "pl-0123456789abcdef0"]}, client)
        stubber.assert_no_pending_responses()

    assert not outcome.failed
    assert [item["prefix_list_id"] for item in outcome.result["prefix_lists"]] == ["pl-0123456789abcdef0"]


def test_other_errors_fail_cleanly(run_module):
    client = ec2_client()
    with Stubber(client) as stubber:
        stubber.add_client_error("describe_managed_prefix_lists", "UnauthorizedOperation", http_status_code=403)
        outcome = run_module(module, {"names": [LATTICE]}, client)

    assert outcome.failed
    assert "describe managed prefix lists" in outcome.result["msg"]
