# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where moto disagrees with AWS, make the emulator agree with AWS.

Each fix names the AWS behaviour it restores and is covered by tests/unit/harness/test_moto_fixes.py;
docs/emulator.md lists them. Production code never sees these: they live in the emulator process only.
"""

from __future__ import annotations

_APPLIED: list[str] = []


def fix_nat_gateway_tag_resource_type() -> None:
    """DescribeTags reports NAT gateways as resource type ``natgateway`` (botocore's ResourceType enum).

    moto says ``nat-gateway``, so a ``resource-type=natgateway`` filter finds no tags and
    amazon.aws.ec2_vpc_nat_gateway re-tags (changed=true) on every run.
    """
    from moto.ec2 import utils  # pylint: disable=import-outside-toplevel

    utils.EC2_PREFIX_TO_RESOURCE[utils.EC2_RESOURCE_TO_PREFIX["nat-gateway"]] = "natgateway"


FIXES = [fix_nat_gateway_tag_resource_type]


def apply() -> list[str]:
    """Apply every fix once; returns the names applied."""
    for fix in FIXES:
        if fix.__name__ not in _APPLIED:
            fix()
            _APPLIED.append(fix.__name__)
    return list(_APPLIED)
