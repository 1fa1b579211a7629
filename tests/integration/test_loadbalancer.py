# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The loadbalancer layer's bad input, refused before any AWS call. Its converge, re-run, check mode and HTTPS are
checked on the whole lattice stack (test_lattice_stack.py)."""

from __future__ import annotations

import pytest

ONE_AZ_VPCS = [{"name": "consumer", "cidr": "172.168.0.0/16", "az_count": 1},
               {"name": "service", "cidr": "10.0.0.0/16", "az_count": 1}]


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"network_vpcs": ONE_AZ_VPCS},
         "loadbalancer_albs[0] (consumer).vpc: an application load balancer needs subnets in at least two AZs; "
         "VPC consumer has az_count 1"),
        ({"loadbalancer_target_groups": [{"name": "app-server", "vpc": "service", "port": 8000}]},
         "loadbalancer_albs[0] (consumer).listeners[0] (HTTP:80).default_action.target_group: "
         "no target group named consumer-app in loadbalancer_target_groups"),
        ({"loadbalancer_albs": [{"name": "consumer", "vpc": "consumer", "security_groups": ["consumer-alb"], "listeners": [
            {"protocol": "HTTPS", "port": 443, "default_action": {"type": "forward", "target_group": "consumer-app"}}]}]},
         "loadbalancer_albs[0] (consumer).listeners[0] (HTTPS:443).certificate_arn: an HTTPS listener needs a certificate"),
    ],
    ids=["one-az-vpc", "unknown-target-group", "https-without-certificate"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused(extra_vars, expected)
