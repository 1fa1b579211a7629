# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compute layer's bad input, refused before any AWS call. Its converge, re-run, check mode, the aws_ec2
inventory and its tear-down are checked on the whole lattice stack (test_lattice_stack.py)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        (
            {
                "compute_autoscaling_groups": [
                    {
                        "name": "consumer",
                        "launch_template": "consumer",
                        "vpc": "consumer",
                        "min_size": 3,
                        "max_size": 2,
                        "target_groups": ["consumer-app"],
                    }
                ]
            },
            "compute_autoscaling_groups[0] (consumer): min_size 3 > max_size 2",
        ),
        (
            {"compute_launch_templates": [{"name": "x", "security_groups": ["nope"]}]},
            "compute_launch_templates[0] (x).security_groups: no security group named nope",
        ),
        ({"compute_key_dir": "{{ playbook_dir }}/keys"}, "compute_key_dir"),
    ],
    ids=["asg-min-above-max", "unknown-security-group", "keys-in-the-repository"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused(extra_vars, expected)
