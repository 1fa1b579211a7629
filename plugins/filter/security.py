# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security-group graph checks and rule translation for the security layer."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible.errors import AnsibleFilterError

SOURCES = ("cidr_ip", "cidr_ipv6", "group", "prefix_list", "prefix_list_id")
PROTOCOLS = ("tcp", "udp", "icmp", "icmpv6", "all", "-1")


def _as_list(value):
    if value in (None, "", []):
        return []
    return value if isinstance(value, list) else [value]


def _port_errors(where, ports):
    errors = []
    for port in _as_list(ports):
        text = str(port)
        bounds = text.split("-", 1)
        try:
            low, high = int(bounds[0]), int(bounds[-1])
        except ValueError:
            errors.append("{0}.ports: {1!r} is not a port or a from-to range".format(where, port))
            continue
        if not (0 <= low <= 65535 and 0 <= high <= 65535) or low > high:
            errors.append("{0}.ports: {1!r} is outside 0-65535 or runs backwards".format(where, port))
    return errors


def _rule_errors(where, rule, groups, vpc):
    if not isinstance(rule, dict):
        return ["{0}: must be a dict".format(where)]
    errors = []
    sources = [key for key in SOURCES if rule.get(key) not in (None, "", [])]
    if len(sources) != 1:
        errors.append("{0}: give exactly one of {1} (found {2})".format(
            where, ", ".join(SOURCES), ", ".join(sources) or "none"))
    proto = str(rule.get("proto", "tcp"))
    if proto not in PROTOCOLS and not proto.isdigit():
        errors.append("{0}.proto: {1!r} is not one of {2} or a protocol number".format(where, proto, ", ".join(PROTOCOLS)))
    if proto in ("tcp", "udp") and rule.get("ports") in (None, "", []):
        errors.append("{0}.ports: {1} rules need ports".format(where, proto))
    if rule.get("ports") not in (None, "", []):
        errors.extend(_port_errors(where, rule["ports"]))
    for key, version in (("cidr_ip", 4), ("cidr_ipv6", 6)):
        for cidr in _as_list(rule.get(key)):
            try:
                network = ipaddress.ip_network(cidr, strict=True)
            except ValueError as error:
                errors.append("{0}.{1}: {2}".format(where, key, error))
                continue
            if network.version != version:
                errors.append("{0}.{1}: {2} is not an IPv{3} block".format(where, key, cidr, version))
    target = rule.get("group")
    if target:
        if target not in groups:
            errors.append("{0}.group: no security group named {1!r} in security_groups (known: {2})".format(
                where, target, ", ".join(sorted(groups)) or "none"))
        elif groups[target].get("vpc") != vpc:
            errors.append("{0}.group: {1!r} lives in VPC {2!r}, not {3!r}; groups only reference groups of their VPC"
                          .format(where, target, groups[target].get("vpc"), vpc))
    return errors


def _world_errors(where, rule, world_open_ports):
    """Ports a rule opens to the whole internet (0.0.0.0/0 or ::/0) beyond ``world_open_ports``.

    A rule that means it says ``allow_world: true``; ``world_open_ports`` None lifts the check.
    """
    if world_open_ports is None or rule.get("allow_world") is True or _port_errors(where, rule.get("ports")):
        return []
    errors = []
    for key, world in (("cidr_ip", "0.0.0.0/0"), ("cidr_ipv6", "::/0")):
        if world not in _as_list(rule.get(key)):
            continue
        for port in _as_list(rule.get("ports")) or ["all"]:
            low = str(port).split("-", maxsplit=1)[0]
            if not low.isdigit() or int(low) not in world_open_ports:
                errors.append("{0}.{1}: port {2} open to {3} (ports open to the world: {4}); give your admin network, "
                              "or set allow_world: true on this rule if the whole internet must reach it".format(
                                  where, key, port, world, ", ".join(str(item) for item in world_open_ports)))
    return errors


def security_errors(groups, vpc_names, var="security_groups", world_open_ports=None):
    """Every problem with the security-group graph, as messages naming the variable; empty when valid.

    ``world_open_ports`` lists the ports that may face 0.0.0.0/0 or ::/0 (None: no limit) unless a rule says
    ``allow_world: true``; SSH or a database port open to the world is a mistake the seeds never make.
    """
    if not isinstance(groups, list):
        return ["{0}: must be a list of security groups".format(var)]
    errors = []
    by_name = {}
    for index, group in enumerate(groups):
        if not isinstance(group, dict) or not group.get("name"):
            errors.append("{0}[{1}]: needs at least name and vpc".format(var, index))
            continue
        if group["name"] in by_name:
            errors.append("{0}[{1}].name: {2!r} is defined twice".format(var, index, group["name"]))
        by_name[group["name"]] = group
    for index, group in enumerate(groups):
        if not isinstance(group, dict) or not group.get("name"):
            continue
        where = "{0}[{1}] ({2})".format(var, index, group["name"])
        if group.get("vpc") not in vpc_names:
            errors.append("{0}.vpc: {1!r} is not a VPC of network_vpcs (known: {2})".format(
                where, group.get("vpc"), ", ".join(sorted(vpc_names)) or "none"))
        for key in ("rules", "rules_egress"):
            for position, rule in enumerate(group.get(key) or []):
                rule_where = "{0}.{1}[{2}]".format(where, key, position)
                errors.extend(_rule_errors(rule_where, rule, by_name, group.get("vpc")))
                if key == "rules" and isinstance(rule, dict):
                    errors.extend(_world_errors(rule_where, rule, world_open_ports))
    return errors


def prefix_list_names(groups):
    """The managed prefix lists the rules name (``prefix_list:``), for one look-up of their IDs."""
    names = set()
    for group in groups or []:
        for rule in (group.get("rules") or []) + (group.get("rules_egress") or []):
            if isinstance(rule, dict) and rule.get("prefix_list"):
                names.add(rule["prefix_list"])
    return sorted(names)


def security_rules(rules, group_ids, prefix_list_ids=None):
    """Translate our rules into amazon.aws.ec2_security_group rules.

    ``group: name`` becomes ``group_id`` (from ``group_ids``), ``prefix_list: name`` and ``prefix_list_id``
    become ``ip_prefix`` (names resolved through ``prefix_list_ids``).
    """
    translated = []
    for rule in rules or []:
        out = {key: value for key, value in rule.items()
               if key not in ("group", "prefix_list", "prefix_list_id", "description", "allow_world")}
        out.setdefault("proto", "tcp")
        if rule.get("group"):
            if rule["group"] not in group_ids:
                raise AnsibleFilterError("security_rules: group {0!r} has no id yet".format(rule["group"]))
            out["group_id"] = group_ids[rule["group"]]
        if rule.get("prefix_list"):
            if rule["prefix_list"] not in (prefix_list_ids or {}):
                raise AnsibleFilterError("security_rules: prefix list {0!r} has no id".format(rule["prefix_list"]))
            out["ip_prefix"] = prefix_list_ids[rule["prefix_list"]]
        if rule.get("prefix_list_id"):
            out["ip_prefix"] = rule["prefix_list_id"]
        if rule.get("description"):
            out["rule_desc"] = rule["description"]
        if "ports" in out and not isinstance(out["ports"], list):
            out["ports"] = [out["ports"]]
        translated.append(out)
    return translated


def assume_role_policy(principal):
    """A trust policy for a service shorthand (``ec2``, ``ecs-tasks``...) or a full service principal."""
    service = principal if "." in principal else "{0}.amazonaws.com".format(principal)
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def pseudo_parameters(document, account_id, region, partition="aws"):
    """Replace CloudFormation-style ``${AWS::AccountId}``, ``${AWS::Region}`` and ``${AWS::Partition}``.

    Inventories write policy ARNs with these, so they validate before the account is known
    (the account id comes from an API call, which must not run before validation).
    """
    values = {"${AWS::AccountId}": str(account_id), "${AWS::Region}": str(region), "${AWS::Partition}": str(partition)}
    if isinstance(document, dict):
        return {key: pseudo_parameters(value, account_id, region, partition) for key, value in document.items()}
    if isinstance(document, list):
        return [pseudo_parameters(value, account_id, region, partition) for value in document]
    if isinstance(document, str):
        for token, value in values.items():
            document = document.replace(token, value)
    return document


class FilterModule(object):
    """Security-group graph helpers."""

    def filters(self):
        return {
            "security_errors": security_errors,
            "security_rules": security_rules,
            "prefix_list_names": prefix_list_names,
            "assume_role_policy": assume_role_policy,
            "pseudo_parameters": pseudo_parameters,
        }
