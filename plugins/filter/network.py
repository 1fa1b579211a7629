# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Subnet math and input checks for the network layer.

Pure functions of inventory data: they run before any AWS call, so a bad CIDR
or a subnet that does not fit fails the play with a message naming the variable.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible.errors import AnsibleFilterError

# AWS limits for IPv4 VPC and subnet blocks.
VPC_PREFIX_RANGE = (16, 28)
SUBNET_PREFIX_RANGE = (16, 28)
TIERS = ("public", "private")
NAT_MODES = ("none", "single", "per_az")


def _network(value):
    """Return an IPv4Network for a strict CIDR string, or raise ValueError with the reason."""
    if not isinstance(value, str) or "/" not in value:
        raise ValueError("{0!r} is not a CIDR block (expected a.b.c.d/n)".format(value))
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ipaddress.NetmaskValueError:
        raise ValueError("{0!r} has an invalid prefix length (IPv4 allows /0 to /32)".format(value))
    except ipaddress.AddressValueError:
        raise ValueError("{0!r} has an invalid IPv4 address".format(value))
    except ValueError:
        raise ValueError("{0!r} has host bits set (did you mean {1}?)".format(
            value, ipaddress.IPv4Network(value, strict=False)))


def default_subnet_prefix(vpc_prefix, az_count):
    """A /24 per subnet in a /16, smaller in smaller VPCs, never below AWS's /28."""
    needed_bits = (2 * az_count - 1).bit_length()
    return min(max(vpc_prefix + needed_bits, min(vpc_prefix + 8, 24)), SUBNET_PREFIX_RANGE[1])


def _allocate(vpc, prefixes):
    """Carve consecutive, aligned blocks of the given prefix lengths out of ``vpc``."""
    cursor = int(vpc.network_address)
    blocks = []
    for prefix in prefixes:
        size = 2 ** (32 - prefix)
        cursor = (cursor + size - 1) // size * size
        block = ipaddress.IPv4Network((cursor, prefix))
        if not block.subnet_of(vpc):
            raise ValueError(
                "{0} subnets of /{1} do not fit in {2}; use a larger VPC or smaller subnets".format(
                    len(prefixes), prefix, vpc))
        blocks.append(block)
        cursor += size
    return blocks


def subnet_plan(vpc):
    """The subnets of one ``network_vpcs`` entry: a list of ``{tier, az_index, cidr}``.

    Explicit ``public_subnets``/``private_subnets`` win; otherwise blocks are carved
    in order (public per AZ, then private per AZ) at ``public_prefix``/``private_prefix``.
    """
    try:
        network = _network(vpc["cidr"])
    except (KeyError, TypeError):
        raise AnsibleFilterError("subnet_plan expects a network_vpcs entry with a cidr")
    except ValueError as error:
        raise AnsibleFilterError("cidr: {0}".format(error))
    az_count = _az_count(vpc)
    plan = []
    computed = []
    for tier in TIERS:
        explicit = vpc.get("{0}_subnets".format(tier)) or []
        if explicit:
            for index, cidr in enumerate(explicit):
                plan.append({"tier": tier, "az_index": index, "cidr": str(_network(cidr))})
        else:
            prefix = vpc.get("{0}_prefix".format(tier)) or default_subnet_prefix(network.prefixlen, az_count)
            computed.extend((tier, index, int(prefix)) for index in range(az_count))
    taken = [ipaddress.IPv4Network(entry["cidr"]) for entry in plan]
    if computed:
        blocks = _allocate_around(network, [entry[2] for entry in computed], taken)
        for (tier, index, _prefix), block in zip(computed, blocks):
            plan.append({"tier": tier, "az_index": index, "cidr": str(block)})
    plan.sort(key=lambda entry: (TIERS.index(entry["tier"]), entry["az_index"]))
    return plan


def _allocate_around(vpc, prefixes, taken):
    """Like _allocate, skipping blocks already taken by explicit subnets."""
    if not taken:
        return _allocate(vpc, prefixes)
    blocks = []
    cursor = int(vpc.network_address)
    for prefix in prefixes:
        size = 2 ** (32 - prefix)
        while True:
            cursor = (cursor + size - 1) // size * size
            block = ipaddress.IPv4Network((cursor, prefix))
            if not block.subnet_of(vpc):
                raise ValueError("computed /{0} subnets do not fit in {1} beside the explicit ones".format(prefix, vpc))
            clash = [other for other in taken + blocks if block.overlaps(other)]
            if not clash:
                break
            cursor = max(int(other.broadcast_address) for other in clash) + 1
        blocks.append(block)
        cursor += size
    return blocks


def _vpc_errors(index, vpc, var):
    where = "{0}[{1}]".format(var, index)
    errors = []
    if not isinstance(vpc, dict):
        return ["{0}: must be a dict with at least name and cidr".format(where)]
    name = vpc.get("name")
    if name:
        where = "{0}[{1}] ({2})".format(var, index, name)
    try:
        network = _network(vpc.get("cidr"))
    except ValueError as error:
        return ["{0}.cidr: {1}".format(where, error)]
    low, high = VPC_PREFIX_RANGE
    if not low <= network.prefixlen <= high:
        errors.append("{0}.cidr: {1} is /{2}; AWS VPCs take /{3} to /{4}".format(
            where, network, network.prefixlen, low, high))
    az_count = vpc.get("az_count", 2)
    if not isinstance(az_count, int) or not 1 <= az_count <= 6:
        errors.append("{0}.az_count: {1!r} is not a number of availability zones".format(where, az_count))
        return errors
    zones = vpc.get("zones") or []
    if zones:
        zone_pattern = re.compile(r"^([a-z]|[a-z]{2}(-[a-z]+)+-\d+[a-z])$")
        if not isinstance(zones, list) or not all(isinstance(zone, str) and zone_pattern.match(zone) for zone in zones):
            errors.append("{0}.zones: {1!r} is not a list of zone letters (a, c) or names (ap-northeast-2a)".format(where, zones))
            return errors
        if len(set(zones)) != len(zones):
            errors.append("{0}.zones: {1} names a zone twice".format(where, ", ".join(zones)))
        if "az_count" in vpc and az_count != len(zones):
            errors.append("{0}.az_count: {1} disagrees with the {2} zones named in zones; give one of the two".format(
                where, az_count, len(zones)))
        az_count = len(zones)
    if vpc.get("nat", "single") not in NAT_MODES:
        errors.append("{0}.nat: {1!r} is not one of {2}".format(where, vpc.get("nat"), ", ".join(NAT_MODES)))
    if vpc.get("nat", "single") != "none" and not vpc.get("internet_gateway", True):
        errors.append("{0}.nat: a NAT gateway needs internet_gateway: true (it sits in a public subnet)".format(where))
    for tier in TIERS:
        explicit = vpc.get("{0}_subnets".format(tier)) or []
        if explicit and len(explicit) != az_count:
            errors.append("{0}.{1}_subnets: {2} given for az_count {3}; give one per AZ".format(
                where, tier, len(explicit), az_count))
        for position, cidr in enumerate(explicit):
            try:
                subnet = _network(cidr)
            except ValueError as error:
                errors.append("{0}.{1}_subnets[{2}]: {3}".format(where, tier, position, error))
                continue
            if not subnet.subnet_of(network):
                errors.append("{0}.{1}_subnets[{2}]: {3} is outside the VPC's {4}".format(
                    where, tier, position, subnet, network))
            elif not SUBNET_PREFIX_RANGE[0] <= subnet.prefixlen <= SUBNET_PREFIX_RANGE[1]:
                errors.append("{0}.{1}_subnets[{2}]: {3} is /{4}; AWS subnets take /16 to /28".format(
                    where, tier, position, subnet, subnet.prefixlen))
        prefix = vpc.get("{0}_prefix".format(tier))
        if prefix is not None and not (network.prefixlen <= int(prefix) <= SUBNET_PREFIX_RANGE[1]):
            errors.append("{0}.{1}_prefix: /{2} must lie between the VPC's /{3} and /28".format(
                where, tier, prefix, network.prefixlen))
    if errors:
        return errors
    try:
        plan = subnet_plan(vpc)
    except (ValueError, AnsibleFilterError) as error:
        return ["{0}: {1}".format(where, error)]
    for first, second in _overlapping_pairs([entry["cidr"] for entry in plan]):
        errors.append("{0}: subnets {1} and {2} overlap".format(where, first, second))
    return errors


def _overlapping_pairs(cidrs):
    networks = [ipaddress.IPv4Network(cidr) for cidr in cidrs]
    pairs = []
    for position, first in enumerate(networks):
        for second in networks[position + 1:]:
            if first.overlaps(second):
                pairs.append((str(first), str(second)))
    return pairs


def network_errors(vpcs, var="network_vpcs", allow_overlap=False):
    """Every problem with ``network_vpcs``, as messages naming the variable; empty when valid."""
    if not isinstance(vpcs, list):
        return ["{0}: must be a list of VPC definitions".format(var)]
    errors = []
    names = {}
    valid = []
    for index, vpc in enumerate(vpcs):
        vpc_errors = _vpc_errors(index, vpc, var)
        errors.extend(vpc_errors)
        if isinstance(vpc, dict):
            name = vpc.get("name")
            if name in names:
                errors.append("{0}[{1}].name: {2!r} is already used by {0}[{3}]".format(var, index, name, names[name]))
            names.setdefault(name, index)
            if not vpc_errors:
                valid.append(vpc)
    if not allow_overlap:
        by_cidr = {vpc["cidr"]: vpc["name"] for vpc in valid}
        for first, second in _overlapping_pairs([vpc["cidr"] for vpc in valid]):
            errors.append("{0}: VPC {1} ({2}) overlaps VPC {3} ({4}); set network_allow_overlapping_cidrs "
                          "to keep them apart on purpose".format(var, by_cidr[first], first, by_cidr[second], second))
    return errors


def cidr_overlaps(cidrs):
    """Pairs of overlapping blocks in a list of CIDR strings."""
    try:
        return [list(pair) for pair in _overlapping_pairs(cidrs)]
    except (ValueError, TypeError) as error:
        raise AnsibleFilterError("cidr_overlaps: {0}".format(error))


def _az_count(vpc):
    """How many AZs a network_vpcs entry spans: its named ``zones``, else ``az_count`` (default 2)."""
    zones = vpc.get("zones") or []
    return len(zones) if zones else int(vpc.get("az_count", 2))


def _zone_names(wanted, available):
    """Resolve zone letters (``c``) or names (``ap-northeast-2c``) against the region's available zones."""
    region = available[0][:-1] if available else ""
    resolved = []
    for zone in wanted:
        name = region + zone if len(zone) == 1 else zone
        if name not in available:
            return None, zone
        resolved.append(name)
    return resolved, None


def _az_letter(zone):
    return zone[-1] if zone and zone[-1].isalpha() else str(zone)


def network_plan(vpcs, name_prefix, zones, common_tags=None):
    """Expand ``network_vpcs`` into everything the role converges, with names and AZs resolved.

    ``zones`` are the region's available AZ names; VPC i's subnets use the first ``az_count`` of them.
    """
    plans = []
    for vpc in vpcs:
        az_count = _az_count(vpc)
        if vpc.get("zones"):
            vpc_zones, unknown = _zone_names(vpc["zones"], zones)
            if unknown:
                raise AnsibleFilterError("network_vpcs ({0}).zones: {1} is not an available zone of the region ({2})".format(
                    vpc.get("name"), unknown, ", ".join(zones)))
        elif az_count > len(zones):
            raise AnsibleFilterError("network_vpcs ({0}).az_count: {1} AZs asked, the region has {2} available ({3})".format(
                vpc.get("name"), az_count, len(zones), ", ".join(zones)))
        else:
            vpc_zones = list(zones[:az_count])
        key = "{0}-{1}".format(name_prefix, vpc["name"])
        tags = dict(common_tags or {})
        tags.update(vpc.get("tags") or {})
        tags.update({"blueprint:stack": name_prefix, "blueprint:vpc": vpc["name"]})
        subnets = []
        for entry in subnet_plan(vpc):
            zone = vpc_zones[entry["az_index"]]
            name = "{0}-{1}-{2}".format(key, entry["tier"], _az_letter(zone))
            subnets.append(dict(entry, az=zone, name=name,
                                tags=dict(tags, Name=name, **{"blueprint:tier": entry["tier"]})))
        public = [subnet["name"] for subnet in subnets if subnet["tier"] == "public"]
        private = [subnet["name"] for subnet in subnets if subnet["tier"] == "private"]
        nat = vpc.get("nat", "single")
        nat_subnets = {"none": [], "single": public[:1], "per_az": public}[nat]
        route_tables = []
        if public:
            route_tables.append({"name": "{0}-public".format(key), "tier": "public", "subnets": public,
                                 "internet_gateway": bool(vpc.get("internet_gateway", True)), "nat_subnet": None})
        if nat == "per_az":
            for index, subnet in enumerate(private):
                route_tables.append({"name": "{0}-private-{1}".format(key, _az_letter(vpc_zones[index])),
                                     "tier": "private", "subnets": [subnet], "internet_gateway": False,
                                     "nat_subnet": nat_subnets[index]})
        elif private:
            route_tables.append({"name": "{0}-private".format(key), "tier": "private", "subnets": private,
                                 "internet_gateway": False, "nat_subnet": nat_subnets[0] if nat_subnets else None})
        for table in route_tables:
            table["tags"] = dict(tags, Name=table["name"], **{"blueprint:tier": table["tier"]})
        plans.append({
            "name": vpc["name"],
            "key": key,
            "cidr": vpc["cidr"],
            "zones": vpc_zones,
            "dns_hostnames": bool(vpc.get("dns_hostnames", True)),
            "dns_support": bool(vpc.get("dns_support", True)),
            "internet_gateway": bool(vpc.get("internet_gateway", True)),
            "nat": nat,
            "nat_subnets": nat_subnets,
            "subnets": subnets,
            "route_tables": route_tables,
            "gateway_endpoints": list(vpc.get("gateway_endpoints") or []),
            "interface_endpoints": [dict({"security_group_ids": []}, **endpoint)
                                    for endpoint in vpc.get("interface_endpoints") or []],
            "tags": dict(tags, Name=key),
        })
    return plans


def _tag(resource, key):
    tags = resource.get("tags") or {}
    if isinstance(tags, list):
        tags = {item.get("Key", item.get("key")): item.get("Value", item.get("value")) for item in tags}
    return tags.get(key)


def network_facts(vpcs, subnets, route_tables, nat_gateways, names=None):
    """Facts for later layers from the stack's resources as the *_info modules return them.

    Returns ``{vpc_ids, vpc_cidrs, subnet_ids, subnets, route_table_ids, nat_gateways}``, each keyed by
    VPC name; subnet and route table lists are ordered by AZ. ``names`` limits the result to those VPCs.
    """
    facts = {"vpc_ids": {}, "vpc_cidrs": {}, "subnet_ids": {}, "subnets": {}, "route_table_ids": {},
             "nat_gateways": {}}
    by_id = {}
    for vpc in vpcs:
        name = _tag(vpc, "blueprint:vpc")
        if name is None or (names is not None and name not in names):
            continue
        by_id[vpc["vpc_id"] if "vpc_id" in vpc else vpc["id"]] = name
        facts["vpc_ids"][name] = vpc.get("vpc_id") or vpc.get("id")
        facts["vpc_cidrs"][name] = vpc["cidr_block"]
        facts["subnet_ids"][name] = {tier: [] for tier in TIERS}
        facts["subnets"][name] = []
        facts["route_table_ids"][name] = {tier: [] for tier in TIERS}
        facts["nat_gateways"][name] = []
    for subnet in sorted(subnets, key=lambda item: (item.get("availability_zone", ""), item.get("cidr_block", ""))):
        name = by_id.get(subnet.get("vpc_id"))
        tier = _tag(subnet, "blueprint:tier")
        if name is None or tier not in TIERS:
            continue
        facts["subnet_ids"][name][tier].append(subnet["subnet_id"] if "subnet_id" in subnet else subnet["id"])
        facts["subnets"][name].append({"id": subnet.get("subnet_id") or subnet.get("id"), "tier": tier,
                                       "az": subnet.get("availability_zone"), "cidr": subnet.get("cidr_block")})
    for table in sorted(route_tables, key=lambda item: _tag(item, "Name") or ""):
        name = by_id.get(table.get("vpc_id"))
        tier = _tag(table, "blueprint:tier")
        if name is None or tier not in TIERS:
            continue
        facts["route_table_ids"][name][tier].append(table.get("route_table_id") or table.get("id"))
    subnet_zone = {entry["id"]: entry["az"] for entries in facts["subnets"].values() for entry in entries}
    for gateway in nat_gateways:
        name = by_id.get(gateway.get("vpc_id"))
        if name is None or gateway.get("state") not in ("pending", "available"):
            continue
        addresses = gateway.get("nat_gateway_addresses") or [{}]
        facts["nat_gateways"][name].append({
            "id": gateway["nat_gateway_id"], "subnet_id": gateway.get("subnet_id"),
            "az": subnet_zone.get(gateway.get("subnet_id")), "public_ip": addresses[0].get("public_ip"),
            "allocation_id": addresses[0].get("allocation_id")})
    for name in facts["nat_gateways"]:
        facts["nat_gateways"][name].sort(key=lambda item: item["az"] or "")
    return facts


def network_summary(vpc_ids, vpc_cidrs, subnets, nat_gateways):
    """A readable per-VPC summary of the network facts: id, CIDR, subnets by tier and AZ, NAT gateways."""
    summary = {}
    for name in sorted(vpc_ids):
        summary[name] = {
            "vpc_id": vpc_ids[name],
            "cidr": vpc_cidrs.get(name),
            "subnets": ["{0} {1} {2} {3}".format(entry["tier"], entry["az"], entry["cidr"], entry["id"])
                        for entry in sorted(subnets.get(name, []), key=lambda item: (item["tier"], item["az"]))],
            "nat_gateways": ["{0} {1} {2}".format(entry["az"], entry["id"], entry["public_ip"])
                             for entry in nat_gateways.get(name, [])],
        }
    return summary


class FilterModule(object):
    """Subnet math for the network layer."""

    def filters(self):
        return {
            "subnet_plan": subnet_plan,
            "network_errors": network_errors,
            "cidr_overlaps": cidr_overlaps,
            "network_plan": network_plan,
            "network_facts": network_facts,
            "network_summary": network_summary,
        }
