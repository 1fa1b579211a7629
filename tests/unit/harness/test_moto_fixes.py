# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's fixes make moto answer as AWS does (checked against botocore's model)."""

from __future__ import annotations

import boto3
import botocore.session
import moto_fixes
from moto import mock_aws


def test_nat_gateway_tags_use_the_aws_resource_type():
    model = botocore.session.get_session().get_service_model("ec2")
    assert "natgateway" in model.shape_for("ResourceType").enum
    moto_fixes.apply()
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(
            SubnetId=subnet, AllocationId=allocation,
            TagSpecifications=[{"ResourceType": "natgateway", "Tags": [{"Key": "Name", "Value": "n"}]}],
        )["NatGateway"]["NatGatewayId"]  # fmt: skip
        tags = ec2.describe_tags(
            Filters=[{"Name": "resource-id", "Values": [nat]}, {"Name": "resource-type", "Values": ["natgateway"]}]
        )["Tags"]
        assert [(tag["Key"], tag["ResourceType"]) for tag in tags] == [("Name", "natgateway")]


def test_fixes_apply_once():
    first = moto_fixes.apply()
    assert moto_fixes.apply() == first
