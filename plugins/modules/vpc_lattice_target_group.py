#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_target_group
version_added: 0.1.0
short_description: Manage Amazon VPC Lattice target groups and their targets
description:
  - Create, update and delete Amazon VPC Lattice target groups, with their health check, targets and tags.
  - A target group is found by its name.
  - AWS changes only the health check of an existing target group. O(type) and O(config) are fixed at creation;
    a different value fails the task, naming the option, before anything changes.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  name:
    description:
      - The name of the target group.
      - 3 to 128 lower-case letters, digits and hyphens; it cannot start with C(tg-), start or end with a hyphen
        or contain two in a row.
    type: str
    required: true
  type:
    description:
      - The type of the targets. Fixed at creation.
      - Required with O(state=present).
    type: str
    choices: [INSTANCE, IP, ALB, LAMBDA]
  config:
    description:
      - How the group reaches its targets. Every key is fixed at creation; a key left out is not compared.
      - With O(type=INSTANCE), O(type=IP) or O(type=ALB), creating the group needs O(config.port), O(config.protocol)
        and O(config.vpc_identifier). With O(type=LAMBDA), only O(config.lambda_event_structure_version) applies.
    type: dict
    suboptions:
      port:
        description:
          - The port the targets listen on, 1 to 65535.
        type: int
      protocol:
        description:
          - The protocol of the traffic to the targets.
        type: str
        choices: [HTTP, HTTPS, TCP]
      protocol_version:
        description:
          - The protocol version. AWS's default is V(HTTP1).
        type: str
        choices: [HTTP1, HTTP2, GRPC]
      vpc_identifier:
        description:
          - The ID of the VPC of the targets.
        type: str
        aliases: [vpc_id]
      ip_address_type:
        description:
          - The IP address type of the targets; only with O(type=IP). AWS's default is V(IPV4).
        type: str
        choices: [IPV4, IPV6]
      lambda_event_structure_version:
        description:
          - The version of the event the Lambda function receives; only with O(type=LAMBDA). AWS's default is V(V1).
        type: str
        choices: [V1, V2]
  health_check:
    description:
      - The health check of the targets; updated in place. A key left out keeps its current value.
      - AWS does not health-check V(ALB) (the load balancer checks its own targets) or V(LAMBDA) target groups,
        so the module refuses this option for them.
    type: dict
    suboptions:
      enabled:
        description:
          - Whether health checks are on.
        type: bool
      path:
        description:
          - The path checked, starting with C(/) (up to 2048 characters).
        type: str
      port:
        description:
          - The port checked, 0 to 65535. AWS's default is the port of each target.
        type: int
      protocol:
        description:
          - The protocol of the health check.
        type: str
        choices: [HTTP, HTTPS, TCP]
      protocol_version:
        description:
          - The protocol version of the health check.
        type: str
        choices: [HTTP1, HTTP2]
      health_check_interval_seconds:
        description:
          - Seconds between two checks of a target, 5 to 300.
        type: int
        aliases: [interval]
      health_check_timeout_seconds:
        description:
          - Seconds without an answer after which a check fails, 1 to 120.
        type: int
        aliases: [timeout]
      healthy_threshold_count:
        description:
          - Consecutive successful checks that make an unhealthy target healthy, 2 to 10.
        type: int
      unhealthy_threshold_count:
        description:
          - Consecutive failed checks that make a healthy target unhealthy, 2 to 10.
        type: int
      matcher:
        description:
          - The HTTP codes of a healthy answer, for example V(200), V(200,202) or V(200-299).
        type: str
  targets:
    description:
      - The targets of the group. If not set, the targets are left as they are.
      - An instance ID (O(type=INSTANCE)), an IP address (O(type=IP)), a load balancer ARN (O(type=ALB)) or
        a Lambda function ARN (O(type=LAMBDA)).
      - A target is its ID and port; the same ID on two ports is two targets.
      - Targets AWS reports as C(DRAINING) are on their way out. They count as absent when deciding what to
        register (a listed one is registered again) and they are never deregistered again (that would report a
        change on every run until the draining ends).
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - The ID or ARN of the target (1 to 200 characters).
        type: str
        required: true
      port:
        description:
          - The port the target listens on, 1 to 65535. Defaults to O(config.port). Not with O(type=LAMBDA).
        type: int
  purge_targets:
    description:
      - Whether to deregister the targets not listed in O(targets). Only with O(targets).
    type: bool
    default: true
  state:
    description:
      - V(present) creates or updates the target group, V(absent) deletes it.
      - AWS deletes a target group, targets and all, only when no listener or rule forwards to it; otherwise the
        task fails with AWS's message.
    type: str
    choices: [present, absent]
    default: present
notes:
  - The module reads the targets (C(ListTargets)) only when O(targets) is set; only then does it return them.
extends_documentation_fragment:
  - blueprint.aws.vpc_lattice
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the users target group sends HTTP to two instances and checks their health
  blueprint.aws.vpc_lattice_target_group:
    name: users
    type: INSTANCE
    config:
      port: 8080
      protocol: HTTP
      vpc_identifier: vpc-0123456789abcdef0
    health_check:
      path: /healthz
      interval: 10
      matcher: "200-299"
    targets:
      - id: i-0123456789abcdef0
      - id: i-0fedcba9876543210
        port: 8081
    tags:
      blueprint:stack: shop
  register: users_target_group

- name: Ensure a load balancer is a target of the web target group, keeping the other targets
  blueprint.aws.vpc_lattice_target_group:
    name: web
    type: ALB
    config:
      port: 443
      protocol: HTTPS
      vpc_identifier: vpc-0123456789abcdef0
    targets:
      - id: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/web/0123456789abcdef
    purge_targets: false

- name: Ensure the thumbnails target group invokes its Lambda function
  blueprint.aws.vpc_lattice_target_group:
    name: thumbnails
    type: LAMBDA
    config:
      lambda_event_structure_version: V2
    targets:
      - id: arn:aws:lambda:ap-northeast-2:123456789012:function:thumbnails

- name: Ensure the users target group is gone
  blueprint.aws.vpc_lattice_target_group:
    name: users
    state: absent
"""

RETURN = r"""
target_group:
  description: The target group as it is after the task (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    arn:
      description: The ARN of the target group. Missing for a group a check-mode run would create.
      returned: success
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:targetgroup/tg-0123456789abcdef0
    id:
      description: The ID of the target group. Missing for a group a check-mode run would create.
      returned: success
      type: str
      sample: tg-0123456789abcdef0
    name:
      description: The name of the target group.
      returned: always
      type: str
      sample: users
    type:
      description: The type of the targets.
      returned: always
      type: str
      sample: INSTANCE
    config:
      description: How the group reaches its targets, with its health check.
      returned: always
      type: dict
      contains:
        port:
          description: The port of the targets.
          returned: when the group has one
          type: int
          sample: 8080
        protocol:
          description: The protocol of the traffic to the targets.
          returned: when the group has one
          type: str
          sample: HTTP
        protocol_version:
          description: The protocol version.
          returned: when the group has one
          type: str
          sample: HTTP1
        vpc_identifier:
          description: The VPC of the targets.
          returned: when the group has one
          type: str
          sample: vpc-0123456789abcdef0
        ip_address_type:
          description: The IP address type of the targets.
          returned: when the group has one
          type: str
          sample: IPV4
        lambda_event_structure_version:
          description: The event version a Lambda target receives.
          returned: when the group has one
          type: str
          sample: V2
        health_check:
          description: The health check.
          returned: when the group has one
          type: dict
          sample: {"enabled": true, "path": "/healthz", "protocol": "HTTP", "health_check_interval_seconds": 10,
                   "health_check_timeout_seconds": 5, "healthy_threshold_count": 5, "unhealthy_threshold_count": 2,
                   "matcher": {"http_code": "200-299"}}
    status:
      description: The status of the target group. Missing for a group a check-mode run would create.
      returned: success
      type: str
      sample: ACTIVE
    service_arns:
      description: The services whose listeners or rules forward to the group.
      returned: when AWS reports them
      type: list
      elements: str
      sample: ["arn:aws:vpc-lattice:ap-northeast-2:123456789012:service/svc-0123456789abcdef0"]
    created_at:
      description: When the target group was created (ISO 8601).
      returned: when the group exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    last_updated_at:
      description: When the target group was last updated (ISO 8601).
      returned: when the group exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    tags:
      description: The tags of the target group.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
    targets:
      description:
        - The targets of the group. A target the task registered may not be listed with its status yet in
          check mode.
      returned: when O(targets) is set
      type: list
      elements: dict
      contains:
        id:
          description: The ID or ARN of the target.
          returned: always
          type: str
          sample: i-0123456789abcdef0
        port:
          description: The port of the target.
          returned: when it has one
          type: int
          sample: 8080
        status:
          description: The status of the target (C(UNUSED) while no service forwards to the group).
          returned: when AWS reports it
          type: str
          sample: HEALTHY
        reason_code:
          description: Why the target has its status.
          returned: when AWS gives one
          type: str
          sample: HealthCheckFailed
"""

import re
from copy import deepcopy
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible.module_utils.common.dict_transformations import snake_dict_to_camel_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import changes
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import create_target_group
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_and_wait
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_target_group
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import deregister_targets
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import diff
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_target_group
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import lifecycle_argument_spec
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import register_targets
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import resolve_target_group
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import target_group_details
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import target_group_targets
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import update_target_group
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import wait_for_status

# What --diff shows: the settings this module manages.
DIFF_KEYS = ("name", "type", "config", "tags", "targets")

NAME_PATTERN = re.compile(r"^(?!tg-)(?!-)(?!.*-$)(?!.*--)[a-z0-9-]{3,128}$")
VPC_PATTERN = re.compile(r"^vpc-([0-9a-z]{8}|[0-9a-z]{17})$")
PATH_PATTERN = re.compile(r"^(/[a-zA-Z0-9@:%_+.~#?&/=-]*)?$")
MATCHER_PATTERN = re.compile(r"^[0-9,-]+$")

# (low, high) of each bounded integer: botocore's model, narrowed to the ranges the AWS API reference documents.
CONFIG_RANGES = {"port": (1, 65535)}
HEALTH_CHECK_RANGES = {
    "port": (0, 65535),
    "health_check_interval_seconds": (5, 300),
    "health_check_timeout_seconds": (1, 120),
    "healthy_threshold_count": (2, 10),
    "unhealthy_threshold_count": (2, 10),
}
# Config keys that only some types accept (AWS API reference, TargetGroupConfig).
NOT_FOR_LAMBDA = ("port", "protocol", "protocol_version", "vpc_identifier")
ONLY_FOR = {"ip_address_type": ("IP",), "lambda_event_structure_version": ("LAMBDA",)}
REQUIRED_AT_CREATION = ("port", "protocol", "vpc_identifier")
# What AWS assumes for a key it may leave out of its answer: the same value given is not a change.
CONFIG_DEFAULTS = {"protocol_version": "HTTP1", "ip_address_type": "IPV4", "lambda_event_structure_version": "V1"}
NO_HEALTH_CHECK_TYPES = ("ALB", "LAMBDA")
# The suboptions of config and health_check, by their canonical names.
CONFIG_KEYS = (
    "port",
    "protocol",
    "protocol_version",
    "vpc_identifier",
    "ip_address_type",
    "lambda_event_structure_version",
)
HEALTH_CHECK_KEYS = (
    "enabled", "path", "port", "protocol", "protocol_version", "health_check_interval_seconds",
    "health_check_timeout_seconds", "healthy_threshold_count", "unhealthy_threshold_count", "matcher",
)  # fmt: skip


def _set(options: Optional[Dict[str, Any]], keys: Tuple[str, ...]) -> Dict[str, Any]:
    """The options the task sets (aliases, which Ansible also leaves in the dict, dropped)."""
    return {key: value for key, value in (options or {}).items() if key in keys and value is not None}


def validate(params: Dict[str, Any]) -> None:
    """Refuse what AWS would refuse, naming the option, before any API call."""
    name = params["name"]
    if not NAME_PATTERN.match(name):
        raise AnsibleVpcLatticeError(
            message=(
                f"name must be 3 to 128 lower-case letters, digits and hyphens, not start with 'tg-', not start or end"
                f" with a hyphen and not contain two in a row, not {name!r}"
            )
        )
    if params["state"] == "absent":
        return
    target_type = params["type"]
    config = _set(params["config"], CONFIG_KEYS)
    health_check = _set(params["health_check"], HEALTH_CHECK_KEYS)
    for key, (low, high) in CONFIG_RANGES.items():
        if key in config and not low <= config[key] <= high:
            raise AnsibleVpcLatticeError(message=f"config.{key} must be between {low} and {high}, not {config[key]}")
    if "vpc_identifier" in config and not VPC_PATTERN.match(config["vpc_identifier"]):
        raise AnsibleVpcLatticeError(
            message=f"config.vpc_identifier must be a VPC ID (vpc-...), not {config['vpc_identifier']!r}"
        )
    if target_type == "LAMBDA":
        for key in NOT_FOR_LAMBDA:
            if key in config:
                raise AnsibleVpcLatticeError(message=f"config.{key} is not supported with type=LAMBDA")
    for key, types in ONLY_FOR.items():
        if key in config and target_type not in types:
            raise AnsibleVpcLatticeError(message=f"config.{key} is supported only with type={'/'.join(types)}")
    if params["health_check"] is not None and target_type in NO_HEALTH_CHECK_TYPES:
        raise AnsibleVpcLatticeError(
            message=(
                f"health_check is not supported with type={target_type}: AWS does not health-check"
                f" {'Application Load Balancer' if target_type == 'ALB' else 'Lambda'} target groups"
            )
        )
    for key, (low, high) in HEALTH_CHECK_RANGES.items():
        if key in health_check and not low <= health_check[key] <= high:
            raise AnsibleVpcLatticeError(
                message=f"health_check.{key} must be between {low} and {high}, not {health_check[key]}"
            )
    if "path" in health_check and (len(health_check["path"]) > 2048 or not PATH_PATTERN.match(health_check["path"])):
        raise AnsibleVpcLatticeError(
            message=f"health_check.path must start with '/' and be a URL path (up to 2048 characters), not"
            f" {health_check['path']!r}"
        )
    if "matcher" in health_check and (
        len(health_check["matcher"]) > 2000 or not MATCHER_PATTERN.match(health_check["matcher"])
    ):
        raise AnsibleVpcLatticeError(
            message=f"health_check.matcher must be HTTP codes such as 200, 200,202 or 200-299, not"
            f" {health_check['matcher']!r}"
        )
    for index, target in enumerate(params["targets"] or []):
        if not 1 <= len(target["id"]) <= 200:
            raise AnsibleVpcLatticeError(message=f"targets[{index}].id must be 1 to 200 characters")
        port = target.get("port")
        if port is not None and target_type == "LAMBDA":
            raise AnsibleVpcLatticeError(message=f"targets[{index}].port is not supported with type=LAMBDA")
        if port is not None and not 1 <= port <= 65535:
            raise AnsibleVpcLatticeError(message=f"targets[{index}].port must be between 1 and 65535, not {port}")


def check_immutable(current: Dict[str, Any], params: Dict[str, Any]) -> None:
    """Raise, naming the option, when the task asks for a type or config other than the group's (create-only)."""
    if params["type"] != current["type"]:
        raise AnsibleVpcLatticeError(
            message=(
                f"type cannot be changed from {current['type']} to {params['type']}: target group {current['name']}"
                " would have to be deleted and created again"
            )
        )
    have = current.get("config") or {}
    for key, value in _set(params["config"], CONFIG_KEYS).items():
        existing = have.get(key, CONFIG_DEFAULTS.get(key))
        if existing != value:
            raise AnsibleVpcLatticeError(
                message=(
                    f"config.{key} cannot be changed from {existing} to {value}: AWS sets it only when it creates"
                    f" target group {current['name']}, which would have to be deleted and created again"
                )
            )


def health_check_view(options: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The health_check option as the module reports it (``matcher`` becomes ``{"http_code": ...}``)."""
    view = _set(options, HEALTH_CHECK_KEYS)
    if "matcher" in view:
        view["matcher"] = {"http_code": view["matcher"]}
    return view


def to_api(view: Dict[str, Any]) -> Dict[str, Any]:
    """A snake_case view (config or health check) as boto3 wants it."""
    return snake_dict_to_camel_dict(view)


def target_key(target: Dict[str, Any]) -> Tuple[str, Optional[int]]:
    return target["id"], target.get("port")


def desired_targets(params: Dict[str, Any], group: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The targets option with each port defaulted as AWS does (to the group's port), duplicates removed."""
    default_port = (group.get("config") or {}).get("port")
    result: Dict[Tuple[str, Optional[int]], Dict[str, Any]] = {}
    for target in params["targets"]:
        port = target.get("port") if target.get("port") is not None else default_port
        entry = {"id": target["id"], "port": port} if port is not None else {"id": target["id"]}
        result.setdefault(target_key(entry), entry)
    return list(result.values())


def plan_targets(
    current: List[Dict[str, Any]], desired: List[Dict[str, Any]], purge: bool
) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """(to register, to deregister). DRAINING targets are leaving: absent for registering, never deregistered."""
    staying = {target_key(target) for target in current if target.get("status") != "DRAINING"}
    draining = {target_key(target) for target in current if target.get("status") == "DRAINING"}
    wanted = {target_key(target) for target in desired}
    to_register = [target for target in desired if target_key(target) not in staying]
    to_deregister = []
    if purge:
        to_deregister = [
            {key: value for key, value in target.items() if key in ("id", "port")}
            for target in current
            if target_key(target) not in wanted and target_key(target) not in draining
        ]
    return to_register, to_deregister


def describe(client, name: str, with_targets: bool) -> Optional[Dict[str, Any]]:
    group = resolve_target_group(client, name)
    if group is None:
        return None
    result = target_group_details(client, group)
    if with_targets:
        result["targets"] = target_group_targets(client, group["arn"])
    return result


def create(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    """Create the group with its health check and tags; return it as reported (predicted in check mode)."""
    params = module.params
    config = _set(params["config"], CONFIG_KEYS)
    if params["type"] != "LAMBDA":
        missing = [f"config.{key}" for key in REQUIRED_AT_CREATION if key not in config]
        if missing:
            raise AnsibleVpcLatticeError(
                message=f"{', '.join(missing)} required to create a target group of type {params['type']}"
            )
    health_check = health_check_view(params["health_check"])
    if health_check:
        config["health_check"] = health_check
    tags = {key: str(value) for key, value in (params["tags"] or {}).items()}  # AWS keeps tag values as strings
    group = {"name": params["name"], "type": params["type"], "config": config, "tags": tags}
    if params["targets"] is not None:
        group["targets"] = []
    if module.check_mode:
        return group
    created = create_target_group(client, params["name"], params["type"], to_api(config), tags)
    if params["wait"]:
        wait_for_status(
            lambda: get_target_group(client, created["arn"]),
            timeout=params["wait_timeout"],
            description="target group",
        )
    group.update(id=created["id"], arn=created["arn"], status=created.get("status"))
    return group


def ensure_health_check(client, module: AnsibleAWSModule, group: Dict[str, Any]) -> bool:
    """UpdateTargetGroup with the whole health check (current keys, overridden by the task's), if any key differs."""
    desired = health_check_view(module.params["health_check"])
    current = (group.get("config") or {}).get("health_check") or {}
    updates = changes(current, desired)
    if not updates:
        return False
    merged = dict(current, **updates)
    if not module.check_mode:
        update_target_group(client, group["arn"], to_api(merged))
    group.setdefault("config", {})["health_check"] = merged
    return True


def ensure_targets(client, module: AnsibleAWSModule, group: Dict[str, Any]) -> bool:
    """Register the missing targets and deregister the extra ones (with purge_targets); returns changed."""
    params = module.params
    current = group.get("targets") or []
    to_register, to_deregister = plan_targets(current, desired_targets(params, group), params["purge_targets"])
    if not to_register and not to_deregister:
        return False
    if not module.check_mode:
        if to_deregister:
            deregister_targets(client, group["arn"], to_deregister)
        if to_register:
            register_targets(client, group["arn"], to_register)
    gone = {target_key(target) for target in to_deregister + to_register}
    predicted = [target for target in current if target_key(target) not in gone] + deepcopy(to_register)
    group["targets"] = sorted(predicted, key=lambda target: (target["id"], target.get("port") or 0))
    return True


def ensure_present(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> Tuple[bool, Dict[str, Any]]:
    """Create or update the group; returns (changed, the group as it is now)."""
    params = module.params
    if current is not None:
        check_immutable(current, params)
    changed = current is None
    group = create(client, module) if current is None else deepcopy(current)
    arn = group.get("arn")

    if current is not None and params["health_check"] is not None:
        changed |= ensure_health_check(client, module, group)
    if params["targets"] is not None:
        changed |= ensure_targets(client, module, group)
    if current is not None:
        tags_changed, group["tags"] = ensure_tags(
            client, arn, group["tags"], params["tags"], params["purge_tags"], module.check_mode
        )
        changed |= tags_changed

    if changed and not module.check_mode:
        # Report what AWS has now (defaults it filled in, statuses), unless it is not readable yet (wait=false).
        fresh = get_target_group(client, arn)
        if fresh is not None:
            predicted_targets = group.get("targets")
            group = target_group_details(client, fresh)
            if predicted_targets is not None:
                group["targets"] = target_group_targets(client, arn)
    return changed, group


def ensure_absent(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> bool:
    """Delete the group (its targets go with it) and wait until it is gone; returns changed."""
    return delete_and_wait(
        module,
        current,
        lambda: delete_target_group(client, current["arn"]),
        lambda: get_target_group(client, current["arn"]),
        "target group",
    )


def main():
    argument_spec = lifecycle_argument_spec(
        name=dict(type="str", required=True),
        type=dict(type="str", choices=["INSTANCE", "IP", "ALB", "LAMBDA"]),
        config=dict(
            type="dict",
            options=dict(
                port=dict(type="int"),
                protocol=dict(type="str", choices=["HTTP", "HTTPS", "TCP"]),
                protocol_version=dict(type="str", choices=["HTTP1", "HTTP2", "GRPC"]),
                vpc_identifier=dict(type="str", aliases=["vpc_id"]),
                ip_address_type=dict(type="str", choices=["IPV4", "IPV6"]),
                lambda_event_structure_version=dict(type="str", choices=["V1", "V2"]),
            ),
        ),
        health_check=dict(
            type="dict",
            options=dict(
                enabled=dict(type="bool"),
                path=dict(type="str"),
                port=dict(type="int"),
                protocol=dict(type="str", choices=["HTTP", "HTTPS", "TCP"]),
                protocol_version=dict(type="str", choices=["HTTP1", "HTTP2"]),
                health_check_interval_seconds=dict(type="int", aliases=["interval"]),
                health_check_timeout_seconds=dict(type="int", aliases=["timeout"]),
                healthy_threshold_count=dict(type="int"),
                unhealthy_threshold_count=dict(type="int"),
                matcher=dict(type="str"),
            ),
        ),
        targets=dict(
            type="list",
            elements="dict",
            options=dict(id=dict(type="str", required=True), port=dict(type="int")),
        ),
        purge_targets=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[["state", "present", ["type"]]],
        supports_check_mode=True,
    )

    # Refuse bad input before the first API call.
    try:
        validate(module.params)
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    client = module.client("vpc-lattice")
    present = module.params["state"] == "present"
    try:
        current = describe(client, module.params["name"], with_targets=present and module.params["targets"] is not None)
        if present:
            changed, group = ensure_present(client, module, current)
        else:
            changed, group = ensure_absent(client, module, current), None
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed}
    if group is not None:
        result["target_group"] = group
    if module._diff:
        result["diff"] = diff(current, group, DIFF_KEYS)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
