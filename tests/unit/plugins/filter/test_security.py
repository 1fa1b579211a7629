# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The security-group graph checks and rule translation."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.blueprint.aws.plugins.filter.security import (
    assume_role_policy,
    prefix_list_names,
    pseudo_parameters,
    security_errors,
    security_rules,
)

VPCS = ["consumer", "service"]


def group(name, vpc="consumer", rules=None, **extra):
    return dict(name=name, vpc=vpc, rules=rules or [], **extra)


class TestSecurityErrors:
    def test_mutual_references_are_fine(self):
        groups = [group("a", rules=[{"ports": [80], "group": "b"}]), group("b", rules=[{"ports": [22], "group": "a"}])]
        assert security_errors(groups, VPCS) == []

    def test_unknown_group(self):
        errors = security_errors([group("a", rules=[{"ports": [80], "group": "ghost"}])], VPCS)
        assert errors == ["security_groups[0] (a).rules[0].group: no security group named 'ghost' in security_groups (known: a)"]

    def test_cross_vpc_reference(self):
        groups = [group("a", rules=[{"ports": [80], "group": "b"}]), group("b", vpc="service")]
        assert "lives in VPC 'service', not 'consumer'" in security_errors(groups, VPCS)[0]

    def test_unknown_vpc(self):
        assert security_errors([group("a", vpc="nowhere")], VPCS) == [
            "security_groups[0] (a).vpc: 'nowhere' is not a VPC of network_vpcs (known: consumer, service)"]

    @pytest.mark.parametrize(
        ("rule", "message"),
        [
            ({"ports": [80]}, "give exactly one of"),
            ({"ports": [80], "cidr_ip": "10.0.0.0/8", "group": "a"}, "found cidr_ip, group"),
            ({"ports": [70000], "cidr_ip": "10.0.0.0/8"}, "outside 0-65535"),
            ({"ports": ["90-80"], "cidr_ip": "10.0.0.0/8"}, "runs backwards"),
            ({"ports": ["http"], "cidr_ip": "10.0.0.0/8"}, "is not a port"),
            ({"proto": "tcp", "cidr_ip": "10.0.0.0/8"}, "tcp rules need ports"),
            ({"proto": "gre", "cidr_ip": "10.0.0.0/8"}, "is not one of"),
            ({"ports": [80], "cidr_ip": "10.0.0.1/8"}, "has host bits set"),
            ({"ports": [80], "cidr_ipv6": "10.0.0.0/8"}, "is not an IPv6 block"),
        ],
    )
    def test_bad_rules(self, rule, message):
        errors = security_errors([group("a", rules=[rule])], VPCS)
        assert errors and message in errors[0]
        assert errors[0].startswith("security_groups[0] (a).rules[0]")

    def test_world_open_ports(self):
        groups = [group("a", rules=[{"ports": [443, 22], "cidr_ip": "0.0.0.0/0"}])]
        assert security_errors(groups, VPCS, world_open_ports=[80, 443]) == [
            "security_groups[0] (a).rules[0].cidr_ip: port 22 open to 0.0.0.0/0 (ports open to the world: 80, 443); "
            "give your admin network, or set allow_world: true on this rule if the whole internet must reach it"]
        assert security_errors(groups, VPCS, world_open_ports=None) == []

    @pytest.mark.parametrize(
        ("rule", "message"),
        [
            ({"ports": [3306], "cidr_ipv6": "::/0"}, "rules[0].cidr_ipv6: port 3306 open to ::/0"),
            ({"ports": ["3389-3390"], "cidr_ip": ["10.0.0.0/8", "0.0.0.0/0"]}, "port 3389-3390 open to 0.0.0.0/0"),
            ({"proto": "all", "cidr_ip": "0.0.0.0/0"}, "port all open to 0.0.0.0/0"),
        ],
    )
    def test_world_open_admin_ports_are_refused(self, rule, message):
        [error] = security_errors([group("a", rules=[rule])], VPCS, world_open_ports=[80, 443])
        assert message in error and "allow_world: true" in error

    def test_allow_world_lets_one_rule_face_the_internet(self):
        rules = [{"ports": [22], "cidr_ip": "0.0.0.0/0", "allow_world": True}, {"ports": [22], "cidr_ipv6": "::/0"}]
        errors = security_errors([group("a", rules=rules)], VPCS, world_open_ports=[80, 443])
        assert len(errors) == 1 and errors[0].startswith("security_groups[0] (a).rules[1].cidr_ipv6: port 22")
        [translated] = security_rules(rules[:1], {})
        assert "allow_world" not in translated

    def test_duplicate_group_names(self):
        assert "is defined twice" in security_errors([group("a"), group("a")], VPCS)[0]

    def test_egress_rules_are_checked_too(self):
        errors = security_errors([group("a", rules_egress=[{"proto": "all"}])], VPCS)
        assert errors[0].startswith("security_groups[0] (a).rules_egress[0]: give exactly one of")


class TestSecurityRules:
    def test_translation(self):
        rules = [
            {"ports": [8000], "group": "alb", "description": "from the ALB"},
            {"proto": "tcp", "ports": 22, "cidr_ip": "203.0.113.0/24"},
            {"ports": [80], "prefix_list_id": "pl-123"},
        ]
        assert security_rules(rules, {"alb": "sg-1"}) == [
            {"ports": [8000], "proto": "tcp", "group_id": "sg-1", "rule_desc": "from the ALB"},
            {"proto": "tcp", "ports": [22], "cidr_ip": "203.0.113.0/24"},
            {"ports": [80], "proto": "tcp", "ip_prefix": "pl-123"},
        ]

    def test_group_without_id(self):
        with pytest.raises(AnsibleFilterError, match="has no id yet"):
            security_rules([{"ports": [1], "group": "x"}], {})


def test_assume_role_policy_shorthand():
    assert assume_role_policy("ecs-tasks")["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    assert assume_role_policy("ec2.amazonaws.com")["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}


def test_pseudo_parameters():
    document = {"Resource": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t"], "N": 1}
    assert pseudo_parameters(document, "123456789012", "ap-northeast-2") == {
        "Resource": ["arn:aws:dynamodb:ap-northeast-2:123456789012:table/t"], "N": 1}


def test_prefix_lists_by_name_are_collected_and_translated():
    groups = [
        {"name": "alb", "vpc": "v", "rules": [{"ports": [80], "prefix_list": "com.amazonaws.r.vpc-lattice"}]},
        {"name": "app", "vpc": "v", "rules_egress": [{"ports": [443], "prefix_list": "com.amazonaws.r.s3"}],
         "rules": [{"ports": [8000], "group": "alb"}]},
    ]
    assert prefix_list_names(groups) == ["com.amazonaws.r.s3", "com.amazonaws.r.vpc-lattice"]
    assert security_errors(groups, ["v"]) == []
    assert security_rules(groups[0]["rules"], {}, {"com.amazonaws.r.vpc-lattice": "pl-1"}) == [
        {"ports": [80], "proto": "tcp", "ip_prefix": "pl-1"}]
    with pytest.raises(AnsibleFilterError, match="prefix list 'com.amazonaws.r.vpc-lattice' has no id"):
        security_rules(groups[0]["rules"], {}, {})


def test_a_prefix_list_name_is_one_source_among_others():
    groups = [{"name": "alb", "vpc": "v", "rules": [{"ports": [80], "prefix_list": "x", "cidr_ip": "10.0.0.0/8"}]}]
    assert security_errors(groups, ["v"]) == [
        "security_groups[0] (alb).rules[0]: give exactly one of cidr_ip, cidr_ipv6, group, prefix_list, prefix_list_id"
        " (found cidr_ip, prefix_list)"]
