# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lattice layer's bad input, refused before any AWS call. Its converge, re-run, check mode and tear-down are
checked on the whole lattice stack (test_lattice_stack.py)."""

from __future__ import annotations

import pytest

LAYER = ("--tags", "lattice")


APP = {"name": "app", "service_network": "lattice", "target_groups": [
    {"name": "app-alb", "type": "ALB", "vpc": "service", "alb": "service", "port": 80}],
    "listeners": [{"name": "http", "port": 80, "default_action": {"forward": "app-alb"}}]}


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"lattice_services": [{**APP, "name": "a-service-name-far-longer-than-forty-chars"}]},
         'lattice_services[0] (a-service-name-far-longer-than-forty-chars).name: the service name'
         ' "lattice-a-service-name-far-longer-than-forty-chars" must be 3 to 40'),
        ({"lattice_services": [{**APP, "target_groups": [{**APP["target_groups"][0], "health_check": {"path": "/health"}}]}]},
         "lattice_services[0] (app).target_groups[0] (app-alb).health_check: an ALB target group has none"),
        ({"lattice_services": [{**APP, "listeners": [{"name": "http", "default_action": {"forward": "app"}}]}]},
         'lattice_services[0] (app).listeners[0] (http).default_action.forward: "app" is not a target group of the service'),
        ({"lattice_service_networks": [{"name": "lattice", "vpc_associations": [
            {"vpc": "consumer", "security_groups": ["app-server"]}]}]},
         'lattice_service_networks[0] (lattice).vpc_associations[0].security_groups: "app-server" belongs to VPC'
         ' "service", not "consumer"'),
    ],
    ids=["long-service-name", "alb-health-check", "unknown-target-group", "group-of-other-vpc"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused(extra_vars, expected)
