# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Subnet math and network input checks: the rules that run before any AWS call."""

from __future__ import annotations

import ipaddress

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.blueprint.aws.plugins.filter.network import (
    cidr_overlaps,
    default_subnet_prefix,
    network_errors,
    network_facts,
    network_plan,
    subnet_plan,
)

ZONES = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"]


def cidrs(plan, tier):
    return [entry["cidr"] for entry in plan if entry["tier"] == tier]


class TestSubnetPlan:
    def test_a_16_gets_24s_public_first(self):
        plan = subnet_plan({"name": "v", "cidr": "10.0.0.0/16", "az_count": 2})
        assert cidrs(plan, "public") == ["10.0.0.0/24", "10.0.1.0/24"]
        assert cidrs(plan, "private") == ["10.0.2.0/24", "10.0.3.0/24"]
        assert [entry["az_index"] for entry in plan] == [0, 1, 0, 1]

    def test_three_azs(self):
        plan = subnet_plan({"name": "v", "cidr": "172.168.0.0/16", "az_count": 3})
        assert cidrs(plan, "private") == ["172.168.3.0/24", "172.168.4.0/24", "172.168.5.0/24"]

    def test_explicit_subnets_win(self):
        vpc = {"name": "web", "cidr": "10.0.0.0/16", "az_count": 2,
               "public_subnets": ["10.0.1.0/24", "10.0.2.0/24"], "private_subnets": ["10.0.3.0/24", "10.0.4.0/24"]}
        plan = subnet_plan(vpc)
        assert cidrs(plan, "public") == ["10.0.1.0/24", "10.0.2.0/24"]
        assert cidrs(plan, "private") == ["10.0.3.0/24", "10.0.4.0/24"]

    def test_computed_subnets_skip_explicit_ones(self):
        vpc = {"name": "v", "cidr": "10.0.0.0/16", "az_count": 2, "public_subnets": ["10.0.0.0/24", "10.0.2.0/24"]}
        private = cidrs(subnet_plan(vpc), "private")
        assert private == ["10.0.1.0/24", "10.0.3.0/24"]

    def test_different_sizes_are_aligned(self):
        plan = subnet_plan({"name": "v", "cidr": "10.0.0.0/16", "az_count": 2, "public_prefix": 26, "private_prefix": 20})
        assert cidrs(plan, "public") == ["10.0.0.0/26", "10.0.0.64/26"]
        assert cidrs(plan, "private") == ["10.0.16.0/20", "10.0.32.0/20"]
        blocks = [ipaddress.IPv4Network(entry["cidr"]) for entry in plan]
        assert not cidr_overlaps([str(block) for block in blocks])

    @pytest.mark.parametrize(
        ("prefix", "az_count", "expected"),
        [(16, 2, 24), (16, 3, 24), (20, 3, 24), (22, 2, 24), (24, 2, 26), (24, 3, 27), (26, 2, 28), (28, 1, 28)],
    )
    def test_default_prefix(self, prefix, az_count, expected):
        assert default_subnet_prefix(prefix, az_count) == expected

    def test_small_vpc_that_cannot_hold_its_subnets(self):
        with pytest.raises(ValueError, match="do not fit"):
            subnet_plan({"name": "v", "cidr": "10.0.0.0/27", "az_count": 3})

    def test_last_block_of_the_vpc_is_usable(self):
        plan = subnet_plan({"name": "v", "cidr": "10.0.0.0/26", "az_count": 2})
        assert cidrs(plan, "private")[-1] == "10.0.0.48/28"

    def test_bad_cidr_is_a_filter_error(self):
        with pytest.raises(AnsibleFilterError, match="cidr"):
            subnet_plan({"name": "v", "cidr": "10.0.0.0/33"})


class TestNetworkErrors:
    def test_valid_input_has_no_errors(self):
        vpcs = [{"name": "consumer", "cidr": "172.168.0.0/16"}, {"name": "service", "cidr": "10.0.0.0/16"}]
        assert network_errors(vpcs) == []

    @pytest.mark.parametrize(
        ("cidr", "message"),
        [
            ("10.0.0.0/33", "invalid prefix length"),
            ("10.0.0.300/16", "invalid IPv4 address"),
            ("10.0.0.1/16", "host bits set (did you mean 10.0.0.0/16?)"),
            ("10.0.0.0", "is not a CIDR block"),
            (None, "is not a CIDR block"),
            ("10.0.0.0/8", "AWS VPCs take /16 to /28"),
            ("10.0.0.0/29", "AWS VPCs take /16 to /28"),
        ],
    )
    def test_bad_vpc_cidr_names_the_variable(self, cidr, message):
        errors = network_errors([{"name": "x", "cidr": cidr}])
        assert len(errors) == 1
        assert errors[0].startswith("network_vpcs[0] (x).cidr:")
        assert message in errors[0]

    def test_overlapping_vpcs_are_refused(self):
        errors = network_errors([{"name": "a", "cidr": "10.0.0.0/16"}, {"name": "b", "cidr": "10.0.128.0/17"}])
        assert errors == [
            "network_vpcs: VPC a (10.0.0.0/16) overlaps VPC b (10.0.128.0/17); set network_allow_overlapping_cidrs "
            "to keep them apart on purpose"
        ]

    def test_overlap_allowed_on_purpose(self):
        assert network_errors([{"name": "a", "cidr": "10.0.0.0/16"}, {"name": "b", "cidr": "10.0.0.0/16"}],
                              allow_overlap=True) == []

    def test_duplicate_names(self):
        errors = network_errors([{"name": "a", "cidr": "10.0.0.0/16"}, {"name": "a", "cidr": "10.1.0.0/16"}])
        assert errors == ["network_vpcs[1].name: 'a' is already used by network_vpcs[0]"]

    def test_subnet_outside_the_vpc(self):
        vpc = {"name": "w", "cidr": "10.0.0.0/16", "public_subnets": ["10.0.1.0/24", "10.1.2.0/24"]}
        assert network_errors([vpc]) == [
            "network_vpcs[0] (w).public_subnets[1]: 10.1.2.0/24 is outside the VPC's 10.0.0.0/16"]

    def test_wrong_number_of_explicit_subnets(self):
        vpc = {"name": "w", "cidr": "10.0.0.0/16", "az_count": 3, "private_subnets": ["10.0.3.0/24"]}
        assert "private_subnets: 1 given for az_count 3" in network_errors([vpc])[0]

    def test_overlapping_explicit_subnets(self):
        vpc = {"name": "w", "cidr": "10.0.0.0/16", "public_subnets": ["10.0.1.0/24", "10.0.1.0/25"]}
        assert network_errors([vpc]) == ["network_vpcs[0] (w): subnets 10.0.1.0/24 and 10.0.1.0/25 overlap"]

    def test_subnets_that_do_not_fit(self):
        errors = network_errors([{"name": "t", "cidr": "10.0.0.0/28", "az_count": 2}])
        assert errors and "do not fit" in errors[0]

    def test_nat_without_internet_gateway(self):
        errors = network_errors([{"name": "t", "cidr": "10.0.0.0/16", "internet_gateway": False}])
        assert errors == ["network_vpcs[0] (t).nat: a NAT gateway needs internet_gateway: true (it sits in a public subnet)"]

    def test_prefix_out_of_range(self):
        errors = network_errors([{"name": "t", "cidr": "10.0.0.0/16", "public_prefix": 30}])
        assert errors == ["network_vpcs[0] (t).public_prefix: /30 must lie between the VPC's /16 and /28"]

    @pytest.mark.parametrize("extra, expected", [
        ({"zones": ["a", "a"]}, "zones: a, a names a zone twice"),
        ({"zones": ["a", "c"], "az_count": 3}, "az_count: 3 disagrees with the 2 zones named in zones"),
        ({"zones": ["A"]}, "is not a list of zone letters"),
        ({"zones": ["a", "c", "d"], "public_subnets": ["10.0.1.0/24", "10.0.2.0/24"]}, "public_subnets: 2 given for az_count 3"),
    ])
    def test_named_zones(self, extra, expected):
        errors = network_errors([dict({"name": "t", "cidr": "10.0.0.0/16"}, **extra)])
        assert any(expected in error for error in errors), errors

    def test_not_a_list(self):
        assert network_errors({"name": "x"}) == ["network_vpcs: must be a list of VPC definitions"]


class TestNetworkPlan:
    def test_per_az_nat_gets_a_private_route_table_per_az(self):
        plan = network_plan([{"name": "consumer", "cidr": "172.168.0.0/16", "nat": "per_az"}], "lattice", ZONES)[0]
        assert plan["key"] == "lattice-consumer"
        assert plan["zones"] == ZONES[:2]
        assert plan["nat_subnets"] == ["lattice-consumer-public-a", "lattice-consumer-public-b"]
        tables = {table["name"]: table for table in plan["route_tables"]}
        assert sorted(tables) == ["lattice-consumer-private-a", "lattice-consumer-private-b", "lattice-consumer-public"]
        assert tables["lattice-consumer-private-b"]["subnets"] == ["lattice-consumer-private-b"]
        assert tables["lattice-consumer-private-b"]["nat_subnet"] == "lattice-consumer-public-b"
        assert tables["lattice-consumer-public"]["internet_gateway"] is True
        subnet = plan["subnets"][0]
        assert subnet["tags"]["blueprint:tier"] == "public" and subnet["tags"]["blueprint:stack"] == "lattice"

    def test_single_nat_shares_one_private_table(self):
        plan = network_plan([{"name": "w", "cidr": "10.0.0.0/16", "az_count": 3}], "web", ZONES)[0]
        private = [table for table in plan["route_tables"] if table["tier"] == "private"]
        assert len(private) == 1 and len(private[0]["subnets"]) == 3
        assert private[0]["nat_subnet"] == "web-w-public-a"

    def test_no_nat_leaves_private_tables_without_egress(self):
        plan = network_plan([{"name": "w", "cidr": "10.0.0.0/16", "nat": "none"}], "web", ZONES)[0]
        assert plan["nat_subnets"] == []
        assert [table["nat_subnet"] for table in plan["route_tables"]] == [None, None]

    def test_more_azs_than_the_region_has(self):
        with pytest.raises(AnsibleFilterError, match="3 AZs asked, the region has 2 available"):
            network_plan([{"name": "w", "cidr": "10.0.0.0/16", "az_count": 3}], "web", ZONES[:2])

    def test_named_zones_by_letter_or_name(self):
        plan = network_plan([{"name": "w", "cidr": "10.0.0.0/16", "zones": ["a", ZONES[2]]}], "web", ZONES)[0]
        assert plan["zones"] == [ZONES[0], ZONES[2]]
        assert sorted({subnet["az"] for subnet in plan["subnets"]}) == [ZONES[0], ZONES[2]]
        assert "web-w-public-c" in [subnet["name"] for subnet in plan["subnets"]]

    def test_a_named_zone_the_region_lacks(self):
        with pytest.raises(AnsibleFilterError, match=r"zones: z is not an available zone"):
            network_plan([{"name": "w", "cidr": "10.0.0.0/16", "zones": ["a", "z"]}], "web", ZONES)

    def test_common_and_vpc_tags_merge(self):
        plan = network_plan([{"name": "w", "cidr": "10.0.0.0/16", "tags": {"Tier": "x"}}], "web", ZONES,
                            {"Project": "p"})[0]
        assert plan["tags"] == {"Project": "p", "Tier": "x", "blueprint:stack": "web", "blueprint:vpc": "w",
                                "Name": "web-w"}


class TestNetworkFacts:
    def test_facts_are_keyed_by_vpc_name_and_ordered_by_az(self):
        vpcs = [{"vpc_id": "vpc-1", "cidr_block": "10.0.0.0/16", "tags": {"blueprint:vpc": "service"}},
                {"vpc_id": "vpc-2", "cidr_block": "10.9.0.0/16", "tags": {"blueprint:vpc": "other"}}]
        subnets = [
            {"subnet_id": "s-pb", "vpc_id": "vpc-1", "availability_zone": "z-b", "cidr_block": "10.0.1.0/24",
             "tags": {"blueprint:tier": "public"}},
            {"subnet_id": "s-pa", "vpc_id": "vpc-1", "availability_zone": "z-a", "cidr_block": "10.0.0.0/24",
             "tags": {"blueprint:tier": "public"}},
            {"subnet_id": "s-qa", "vpc_id": "vpc-1", "availability_zone": "z-a", "cidr_block": "10.0.2.0/24",
             "tags": [{"Key": "blueprint:tier", "Value": "private"}]},
        ]
        tables = [{"route_table_id": "rtb-1", "vpc_id": "vpc-1", "tags": {"Name": "x-public", "blueprint:tier": "public"}}]
        nats = [
            {"nat_gateway_id": "nat-1", "vpc_id": "vpc-1", "subnet_id": "s-pa", "state": "available",
             "nat_gateway_addresses": [{"public_ip": "203.0.113.1", "allocation_id": "eipalloc-1"}]},
            {"nat_gateway_id": "nat-old", "vpc_id": "vpc-1", "subnet_id": "s-pb", "state": "deleted"},
        ]
        facts = network_facts(vpcs, subnets, tables, nats, ["service"])
        assert facts["vpc_ids"] == {"service": "vpc-1"}
        assert facts["subnet_ids"] == {"service": {"public": ["s-pa", "s-pb"], "private": ["s-qa"]}}
        assert facts["route_table_ids"] == {"service": {"public": ["rtb-1"], "private": []}}
        assert facts["nat_gateways"]["service"] == [
            {"id": "nat-1", "subnet_id": "s-pa", "az": "z-a", "public_ip": "203.0.113.1", "allocation_id": "eipalloc-1"}]


def test_network_summary_reads_well():
    from ansible_collections.blueprint.aws.plugins.filter.network import network_summary

    summary = network_summary(
        {"service": "vpc-1"}, {"service": "10.0.0.0/16"},
        {"service": [{"id": "s-2", "tier": "public", "az": "z-b", "cidr": "10.0.1.0/24"},
                     {"id": "s-1", "tier": "public", "az": "z-a", "cidr": "10.0.0.0/24"}]},
        {"service": [{"id": "nat-1", "az": "z-a", "public_ip": "203.0.113.1"}]},
    )  # fmt: skip
    assert summary == {"service": {
        "vpc_id": "vpc-1", "cidr": "10.0.0.0/16",
        "subnets": ["public z-a 10.0.0.0/24 s-1", "public z-b 10.0.1.0/24 s-2"],
        "nat_gateways": ["z-a nat-1 203.0.113.1"]}}
