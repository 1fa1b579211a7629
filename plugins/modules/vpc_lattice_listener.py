#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_listener
version_added: 0.1.0
short_description: Manage Amazon VPC Lattice listeners and their rules
description:
  - Create, update and delete the listeners of an Amazon VPC Lattice service, with their default action,
    their rules and tags.
  - A listener is found by its name within its service.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  service:
    description:
      - The service the listener belongs to, by name, ID or ARN.
      - With O(state=present) a service that does not exist fails the task before anything changes;
        with O(state=absent) there is then nothing to delete.
    type: str
    required: true
  name:
    description:
      - The name of the listener, unique within the service.
      - 3 to 63 lower-case letters, digits and hyphens; it cannot start with C(listener-), start or end with a
        hyphen, or contain two in a row.
    type: str
    required: true
  protocol:
    description:
      - The listener protocol. Required with O(state=present).
      - AWS cannot change it; the module fails naming O(protocol) if the listener has another one.
      - V(TLS_PASSTHROUGH) listeners have no rules, and their default action forwards.
    type: str
    choices: [HTTP, HTTPS, TLS_PASSTHROUGH]
  port:
    description:
      - The listener port, 1 to 65535. AWS defaults to 80 for V(HTTP) and 443 for V(HTTPS).
      - AWS cannot change it; the module fails naming O(port) if the listener has another one.
    type: int
  default_action:
    description:
      - What the listener does with a request no rule matches. Required with O(state=present).
      - Exactly one of O(default_action.forward) and O(default_action.fixed_response).
      - Changed in place (the listener's default rule follows it).
    type: dict
    suboptions:
      forward:
        description: Forward requests to target groups.
        type: dict
        suboptions:
          target_groups:
            description: One to ten target groups, each with its weight.
            type: list
            elements: dict
            required: true
            suboptions:
              target_group:
                description:
                  - The target group, by name, ID or ARN. It must exist; the module fails naming it otherwise.
                type: str
                required: true
              weight:
                description:
                  - The share of requests this target group receives, relative to the others (0 to 999).
                type: int
                default: 100
      fixed_response:
        description: Answer requests with a fixed HTTP status.
        type: dict
        suboptions:
          status_code:
            description: The HTTP status code, 100 to 599.
            type: int
            required: true
  rules:
    description:
      - The listener's rules, matched by O(rules[].name). Not set means the rules are not managed.
      - A rule is created, updated in place (priority, match and action) or, with O(purge_rules=true), deleted.
      - The listener's default rule is never among them; O(default_action) manages it.
      - Every target group a rule forwards to must exist; the module fails naming the rule and the target group
        before anything changes.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The name of the rule, unique within the listener; 3 to 63 lower-case letters, digits and hyphens,
            not starting with C(rule-).
        type: str
        required: true
      priority:
        description:
          - The priority of the rule, 1 (first) to 2000 (botocore's C(RulePriority)), unique within the listener.
        type: int
        required: true
      match:
        description:
          - What a request must match; at least one of O(rules[].match.path), O(rules[].match.method) and
            O(rules[].match.headers).
        type: dict
        required: true
        suboptions:
          path:
            description: Match the request path.
            type: dict
            suboptions:
              exact:
                description: The exact path, starting with C(/). Exclusive with O(rules[].match.path.prefix).
                type: str
              prefix:
                description: A path prefix, starting with C(/). Exclusive with O(rules[].match.path.exact).
                type: str
              case_sensitive:
                description: Whether the path is matched case-sensitively.
                type: bool
                default: true
          method:
            description: The HTTP method, for example V(GET).
            type: str
          headers:
            description: One to five header matches; a request must match all of them.
            type: list
            elements: dict
            suboptions:
              name:
                description: The header name.
                type: str
                required: true
              match:
                description: Exactly one of V(exact), V(prefix) and V(contains).
                type: dict
                required: true
                suboptions:
                  exact:
                    description: The exact header value.
                    type: str
                  prefix:
                    description: A prefix of the header value.
                    type: str
                  contains:
                    description: A substring of the header value.
                    type: str
              case_sensitive:
                description: Whether the value is matched case-sensitively.
                type: bool
                default: false
      action:
        description: What the rule does with a matching request, as O(default_action).
        type: dict
        required: true
        suboptions:
          forward:
            description: Forward requests to target groups.
            type: dict
            suboptions:
              target_groups:
                description: One to ten target groups, each with its weight.
                type: list
                elements: dict
                required: true
                suboptions:
                  target_group:
                    description: The target group, by name, ID or ARN.
                    type: str
                    required: true
                  weight:
                    description: The share of requests this target group receives (0 to 999).
                    type: int
                    default: 100
          fixed_response:
            description: Answer requests with a fixed HTTP status.
            type: dict
            suboptions:
              status_code:
                description: The HTTP status code, 100 to 599.
                type: int
                required: true
      tags:
        description:
          - Tags of the rule. Not set means the rule's tags are not managed; O(purge_tags) applies to them too.
        type: dict
  purge_rules:
    description:
      - Whether to delete the rules of the listener that O(rules) does not name. The default rule is never deleted.
    type: bool
    default: true
  state:
    description:
      - V(present) creates or updates the listener, V(absent) deletes it with its rules.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Listeners have no status; O(wait) waits for a new listener to be readable and for a deleted one to be gone.
  - Rule changes are made in one C(BatchUpdateRule) call per ten rules, so two rules can swap priorities.
extends_documentation_fragment:
  - blueprint.aws.vpc_lattice
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the orders service answers HTTP on port 80, routing the API to its target groups
  blueprint.aws.vpc_lattice_listener:
    service: orders
    name: http
    protocol: HTTP
    port: 80
    default_action:
      fixed_response:
        status_code: 404
    rules:
      - name: api-v2
        priority: 10
        match:
          path:
            prefix: /v2/
        action:
          forward:
            target_groups:
              - target_group: orders-v2
                weight: 90
              - target_group: orders-v1
                weight: 10
      - name: canary
        priority: 20
        match:
          method: GET
          headers:
            - name: x-canary
              match:
                exact: "true"
        action:
          forward:
            target_groups:
              - target_group: orders-canary
    tags:
      blueprint:stack: shop
  register: orders_listener

- name: Ensure the orders listener is gone, with its rules
  blueprint.aws.vpc_lattice_listener:
    service: orders
    name: http
    state: absent
"""

RETURN = r"""
listener:
  description: The listener as it is after the task (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    arn:
      description: The ARN of the listener. Missing for a listener a check-mode run would create.
      returned: when the listener exists
      type: str
      sample: arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0
    id:
      description: The ID of the listener. Missing for a listener a check-mode run would create.
      returned: when the listener exists
      type: str
      sample: listener-0123456789abcdef0
    name:
      description: The name of the listener.
      returned: always
      type: str
      sample: http
    protocol:
      description: The listener protocol.
      returned: always
      type: str
      sample: HTTP
    port:
      description: The listener port.
      returned: always
      type: int
      sample: 80
    service_arn:
      description: The ARN of the service.
      returned: always
      type: str
      sample: arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0
    service_id:
      description: The ID of the service.
      returned: always
      type: str
      sample: svc-0123456789abcdef0
    default_action:
      description:
        - The default action, as AWS reports it, with C(forward.target_groups[].target_group_identifier)
          (target group IDs) and C(weight), or C(fixed_response.status_code).
      returned: always
      type: dict
      sample: {"forward": {"target_groups": [{"target_group_identifier": "tg-0123456789abcdef0", "weight": 100}]}}
    rules:
      description: The listener's rules, by priority, without its default rule.
      returned: always
      type: list
      elements: dict
      contains:
        arn:
          description: The ARN of the rule. Missing for a rule a check-mode run would create.
          returned: when the rule exists
          type: str
          sample: arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0/rule/rule-0123456789abcdef0
        id:
          description: The ID of the rule. Missing for a rule a check-mode run would create.
          returned: when the rule exists
          type: str
          sample: rule-0123456789abcdef0
        name:
          description: The name of the rule.
          returned: always
          type: str
          sample: api-v2
        priority:
          description: The priority of the rule.
          returned: always
          type: int
          sample: 10
        match:
          description: What requests the rule matches, as AWS reports it (C(http_match) with C(path_match),
            C(method) and C(header_matches)).
          returned: always
          type: dict
          sample: {"http_match": {"path_match": {"match": {"prefix": "/v2/"}, "case_sensitive": true}}}
        action:
          description: What the rule does, in the shape of RV(listener.default_action).
          returned: always
          type: dict
          sample: {"fixed_response": {"status_code": 404}}
        is_default:
          description: Always false; the default rule is not listed.
          returned: when the rule exists
          type: bool
          sample: false
        tags:
          description: The tags of the rule.
          returned: always
          type: dict
          sample: {}
        created_at:
          description: When the rule was created (ISO 8601).
          returned: when the rule exists
          type: str
          sample: "2025-01-31T12:00:00+00:00"
        last_updated_at:
          description: When the rule was last updated (ISO 8601).
          returned: when the rule exists
          type: str
          sample: "2025-01-31T12:00:00+00:00"
    tags:
      description: The tags of the listener.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
    created_at:
      description: When the listener was created (ISO 8601).
      returned: when the listener exists
      type: str
      sample: "2025-01-31T12:00:00+00:00"
    last_updated_at:
      description: When the listener was last updated (ISO 8601).
      returned: when the listener exists
      type: str
      sample: "2025-01-31T12:00:00+00:00"
"""

import re
from copy import deepcopy
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import batch_update_rules
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import create_listener
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import create_rule
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_listener
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_rule
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_and_wait
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import diff
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import find_listener
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_listener
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import list_listener_rules
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import lifecycle_argument_spec
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import list_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import resolve_service
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import resolve_target_group
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import to_ansible
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import update_listener
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import wait_for_status

# What --diff shows: the settings this module manages.
DIFF_KEYS = ("name", "protocol", "port", "default_action", "rules", "tags")
RULE_DIFF_KEYS = ("name", "priority", "match", "action", "tags")

# Limits from botocore's vpc-lattice model (shapes ListenerName, RuleName, RulePriority, Port, TargetGroupWeight,
# HttpStatusCode, PathMatchExact/Prefix, HeaderMatchList, WeightedTargetGroupList, HttpMethod).
LISTENER_NAME = re.compile(r"^(?!listener-)(?!-)(?!.*-$)(?!.*--)[a-z0-9-]{3,63}$")
RULE_NAME = re.compile(r"^(?!rule-)(?!-)(?!.*-$)(?!.*--)[a-z0-9-]{3,63}$")
PATH = re.compile(r"^/[a-zA-Z0-9@:%_+.~#?&/=-]{0,199}$")
PRIORITIES = (1, 2000)
PORTS = (1, 65535)
WEIGHTS = (0, 999)
STATUS_CODES = (100, 599)
DEFAULT_PORTS = {"HTTP": 80, "HTTPS": 443}


# ---------------------------------------------------------------------------------------------
# Options: validation (before any call) and conversion to the API's shapes
# ---------------------------------------------------------------------------------------------


def _in(value: int, bounds: Tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]


def action_problems(action: Dict[str, Any], where: str) -> List[str]:
    problems = []
    if (action.get("forward") is None) == (action.get("fixed_response") is None):
        return [f"{where} needs exactly one of forward and fixed_response"]
    if action.get("fixed_response") is not None:
        code = action["fixed_response"]["status_code"]
        if not _in(code, STATUS_CODES):
            problems.append(f"{where}.fixed_response.status_code must be 100 to 599, not {code}")
        return problems
    groups = action["forward"]["target_groups"]
    if not 1 <= len(groups) <= 10:
        problems.append(f"{where}.forward.target_groups needs 1 to 10 target groups, not {len(groups)}")
    names = [group["target_group"] for group in groups]
    if len(set(names)) != len(names):
        problems.append(f"{where}.forward.target_groups names a target group twice")
    for group in groups:
        if not _in(group["weight"], WEIGHTS):
            problems.append(
                f"{where}.forward.target_groups: weight of '{group['target_group']}' must be 0 to 999,"
                f" not {group['weight']}"
            )
    return problems


def match_problems(match: Dict[str, Any], where: str) -> List[str]:
    problems = []
    if not match.get("path") and not match.get("method") and not match.get("headers"):
        return [f"{where}.match needs at least one of path, method and headers"]
    path = match.get("path")
    if path:
        value = path.get("exact") if path.get("exact") is not None else path.get("prefix")
        if (path.get("exact") is None) == (path.get("prefix") is None):
            problems.append(f"{where}.match.path needs exactly one of exact and prefix")
        elif not PATH.match(value):
            problems.append(f"{where}.match.path must start with / and use URL path characters, not {value!r}")
    if match.get("method") is not None and not 1 <= len(match["method"]) <= 16:
        problems.append(f"{where}.match.method must be 1 to 16 characters")
    headers = match.get("headers")
    if headers is not None:
        if not 1 <= len(headers) <= 5:
            problems.append(f"{where}.match.headers needs 1 to 5 header matches, not {len(headers)}")
        for header in headers:
            kinds = [kind for kind in ("exact", "prefix", "contains") if header["match"].get(kind) is not None]
            if len(kinds) != 1:
                problems.append(
                    f"{where}.match.headers: '{header['name']}' needs exactly one of exact, prefix and contains"
                )
            elif not 1 <= len(header["match"][kinds[0]]) <= 200 or not 1 <= len(header["name"]) <= 100:
                problems.append(f"{where}.match.headers: '{header['name']}' name or value is empty or too long")
    return problems


def option_problems(params: Dict[str, Any]) -> List[str]:
    """Everything wrong with the options, found without an API call."""
    problems = []
    if not LISTENER_NAME.match(params["name"]):
        problems.append(
            f"name must be 3 to 63 lower-case letters, digits and hyphens, not starting with 'listener-',"
            f" not {params['name']!r}"
        )
    if params["state"] == "absent":
        return problems
    if params["port"] is not None and not _in(params["port"], PORTS):
        problems.append(f"port must be 1 to 65535, not {params['port']}")
    problems += action_problems(params["default_action"], "default_action")
    if params["protocol"] == "TLS_PASSTHROUGH":
        if params["default_action"].get("fixed_response") is not None:
            problems.append("default_action of a TLS_PASSTHROUGH listener must forward (no fixed_response)")
        if params["rules"]:
            problems.append("rules: a TLS_PASSTHROUGH listener has no rules, only its default_action")
    names, priorities = set(), {}
    for rule in params["rules"] or []:
        where = f"rules[{rule['name']}]"
        if not RULE_NAME.match(rule["name"]):
            problems.append(
                f"rules: name must be 3 to 63 lower-case letters, digits and hyphens, not starting with 'rule-',"
                f" not {rule['name']!r}"
            )
        if rule["name"] in names:
            problems.append(f"rules: the name '{rule['name']}' is used twice")
        names.add(rule["name"])
        if not _in(rule["priority"], PRIORITIES):
            problems.append(f"{where}.priority must be 1 to 2000, not {rule['priority']}")
        elif rule["priority"] in priorities:
            problems.append(
                f"{where}.priority {rule['priority']} is also that of rule '{priorities[rule['priority']]}'"
            )
        priorities.setdefault(rule["priority"], rule["name"])
        problems += match_problems(rule["match"], where)
        problems += action_problems(rule["action"], f"{where}.action")
    return problems


def target_group_ids(client, params: Dict[str, Any]) -> Dict[str, str]:
    """Every target group the options name, resolved to its ID; raises naming the first that does not exist."""
    ids: Dict[str, str] = {}
    wanted = [("default_action", params["default_action"])]
    wanted += [(f"rule '{rule['name']}'", rule["action"]) for rule in params["rules"] or []]
    for where, action in wanted:
        for group in (action.get("forward") or {}).get("target_groups", []):
            identifier = group["target_group"]
            if identifier in ids:
                continue
            found = resolve_target_group(client, identifier)
            if found is None:
                raise AnsibleVpcLatticeError(
                    message=f"{where} forwards to target group '{identifier}', which does not exist"
                )
            ids[identifier] = found["id"]
    return ids


def api_action(action: Dict[str, Any], ids: Dict[str, str]) -> Dict[str, Any]:
    if action.get("fixed_response") is not None:
        return {"fixedResponse": {"statusCode": action["fixed_response"]["status_code"]}}
    groups = action["forward"]["target_groups"]
    return {
        "forward": {
            "targetGroups": [
                {"targetGroupIdentifier": ids[group["target_group"]], "weight": group["weight"]} for group in groups
            ]
        }
    }


def api_match(match: Dict[str, Any]) -> Dict[str, Any]:
    http: Dict[str, Any] = {}
    path = match.get("path")
    if path:
        kind = "exact" if path.get("exact") is not None else "prefix"
        http["pathMatch"] = {"match": {kind: path[kind]}, "caseSensitive": path["case_sensitive"]}
    if match.get("method"):
        http["method"] = match["method"]
    if match.get("headers"):
        http["headerMatches"] = [
            {
                "name": header["name"],
                "match": {kind: value for kind, value in header["match"].items() if value is not None},
                "caseSensitive": header["case_sensitive"],
            }
            for header in match["headers"]
        ]
    return {"httpMatch": http}


def desired_state(params: Dict[str, Any], ids: Dict[str, str]) -> Dict[str, Any]:
    """The listener the options describe, in the API's shape (rules None: not managed)."""
    rules = None
    if params["rules"] is not None:
        rules = [
            {
                "name": rule["name"],
                "priority": rule["priority"],
                "match": api_match(rule["match"]),
                "action": api_action(rule["action"], ids),
                "tags": rule["tags"],
            }
            for rule in params["rules"]
        ]
    return {
        "name": params["name"],
        "protocol": params["protocol"],
        "port": params["port"],
        "defaultAction": api_action(params["default_action"], ids),
        "rules": rules,
    }


# ---------------------------------------------------------------------------------------------
# Comparison: the one place desired and current meet
# ---------------------------------------------------------------------------------------------


def _local_id(identifier: str) -> str:
    return identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier


def normal_action(action: Optional[Dict[str, Any]]) -> Any:
    """An action, comparable: target group IDs (not ARNs) in any order, weight 100 when AWS omits it."""
    action = action or {}
    if "fixedResponse" in action:
        return ("fixed", action["fixedResponse"].get("statusCode"))
    groups = (action.get("forward") or {}).get("targetGroups", [])
    return (
        "forward",
        sorted((_local_id(group["targetGroupIdentifier"]), group.get("weight", 100)) for group in groups),
    )


def normal_match(match: Optional[Dict[str, Any]]) -> Any:
    """A match, comparable: AWS's defaults filled in (paths case-sensitive, headers not), headers in any order."""
    http = (match or {}).get("httpMatch") or {}
    path = http.get("pathMatch")
    headers = sorted(
        (header["name"].lower(), sorted(header["match"].items()), header.get("caseSensitive", False))
        for header in http.get("headerMatches") or []
    )
    path_view = (sorted(path["match"].items()), path.get("caseSensitive", True)) if path else None
    return (path_view, (http.get("method") or "").upper(), headers)


def compare(current: Optional[Dict[str, Any]], desired: Dict[str, Any], purge_rules: bool) -> Dict[str, Any]:
    """What to change: the default action, and rules to create, update (by ID, with the changed fields) and delete.

    Also raises AnsibleVpcLatticeError for what AWS cannot change in place (protocol, port) and for a priority
    held by a rule the module keeps (``purge_rules=false``), before anything is written.
    """
    plan: Dict[str, Any] = {"default_action": None, "create": [], "update": [], "delete": []}
    current_rules = {rule["name"]: rule for rule in (current or {}).get("rules", [])}
    if current is not None:
        for key in ("protocol", "port"):
            if desired[key] is not None and current.get(key) != desired[key]:
                raise AnsibleVpcLatticeError(
                    message=(
                        f"{key} cannot change from {current.get(key)} to {desired[key]}: AWS cannot change a"
                        f" listener's {key}; delete the listener (state=absent) and create it again"
                    )
                )
        if normal_action(current.get("defaultAction")) != normal_action(desired["defaultAction"]):
            plan["default_action"] = desired["defaultAction"]
    if desired["rules"] is None:
        return plan
    wanted = {rule["name"] for rule in desired["rules"]}
    if purge_rules:
        plan["delete"] = [rule for name, rule in current_rules.items() if name not in wanted]
    kept = {rule["priority"]: rule["name"] for name, rule in current_rules.items() if name not in wanted}
    for rule in desired["rules"]:
        if not purge_rules and rule["priority"] in kept:
            raise AnsibleVpcLatticeError(
                message=(
                    f"rules[{rule['name']}].priority {rule['priority']} is held by rule '{kept[rule['priority']]}',"
                    " which purge_rules=false keeps"
                )
            )
        old = current_rules.get(rule["name"])
        if old is None:
            plan["create"].append(rule)
            continue
        updates = {}
        if old.get("priority") != rule["priority"]:
            updates["priority"] = rule["priority"]
        if normal_match(old.get("match")) != normal_match(rule["match"]):
            updates["match"] = rule["match"]
        if normal_action(old.get("action")) != normal_action(rule["action"]):
            updates["action"] = rule["action"]
        if updates:
            plan["update"].append((old, updates))
    return plan


# ---------------------------------------------------------------------------------------------
# Reading, writing, reporting
# ---------------------------------------------------------------------------------------------


def describe(client, service_id: str, name: str) -> Optional[Dict[str, Any]]:
    """The listener (GetListener's answer) with its ``tags`` and ``rules`` (each with its tags), or None."""
    listener = find_listener(client, service_id, name)
    if listener is None:
        return None
    listener["tags"] = list_tags(client, listener["arn"])
    rules = list_listener_rules(client, service_id, listener["id"])
    listener["rules"] = [dict(rule, tags=list_tags(client, rule["arn"])) for rule in rules]
    return listener


def report(listener: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The listener as the module returns it: snake_case, rules by priority, tags untouched."""
    if listener is None:
        return None
    result = to_ansible(
        {key: value for key, value in listener.items() if key not in ("tags", "rules")}, listener["tags"]
    )
    rules = sorted(listener["rules"], key=lambda rule: rule.get("priority") or 0)
    result["rules"] = [
        to_ansible({key: value for key, value in rule.items() if key != "tags"}, rule.get("tags")) for rule in rules
    ]
    return result


def listener_diff(before: Optional[Dict[str, Any]], after: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    result = diff(before, after, DIFF_KEYS)
    for side in result.values():
        if "rules" in side:
            side["rules"] = [{key: rule.get(key) for key in RULE_DIFF_KEYS} for rule in side["rules"]]
    return result


def _tags(tags: Optional[Dict[str, Any]]) -> Dict[str, str]:
    return {key: str(value) for key, value in (tags or {}).items()}  # AWS keeps tag values as strings


def create(client, module: AnsibleAWSModule, service: Dict[str, Any], desired: Dict[str, Any]) -> Dict[str, Any]:
    """Create the listener with its default action and tags (not its rules); return it in the API's shape."""
    params = module.params
    listener = {
        "name": desired["name"],
        "protocol": desired["protocol"],
        "port": desired["port"] or DEFAULT_PORTS.get(desired["protocol"], 443),
        "serviceArn": service["arn"],
        "serviceId": service["id"],
        "defaultAction": desired["defaultAction"],
        "tags": _tags(params["tags"]),
        "rules": [],
    }
    if module.check_mode:
        return listener
    request = {key: listener[key] for key in ("name", "protocol", "defaultAction")}
    if desired["port"] is not None:
        request["port"] = desired["port"]
    if listener["tags"]:
        request["tags"] = listener["tags"]
    created = create_listener(client, service["id"], request)
    if params["wait"]:
        wait_for_status(
            lambda: get_listener(client, service["id"], created["id"]),
            statuses=None,
            timeout=params["wait_timeout"],
            description="listener",
        )
    listener.update(id=created["id"], arn=created["arn"], port=created.get("port", listener["port"]))
    return listener


def ensure_rules(client, module: AnsibleAWSModule, service_id: str, listener: Dict[str, Any], plan) -> bool:
    """Delete, update, then create rules (so freed priorities can be taken); returns changed."""
    check_mode = module.check_mode
    listener_id = listener.get("id")
    changed = False
    rules = {rule["name"]: rule for rule in listener["rules"]}
    for rule in plan["delete"]:
        if not check_mode:
            delete_rule(client, service_id, listener_id, rule["id"])
        del rules[rule["name"]]
        changed = True
    if plan["update"]:
        if not check_mode:
            batch_update_rules(
                client,
                service_id,
                listener_id,
                [dict(updates, ruleIdentifier=old["id"]) for old, updates in plan["update"]],
            )
        for old, updates in plan["update"]:
            rules[old["name"]].update(updates)
        changed = True
    for rule in plan["create"]:
        tags = _tags(rule["tags"])
        new = {"name": rule["name"], "priority": rule["priority"], "match": rule["match"], "action": rule["action"]}
        if not check_mode:
            request = dict(new, tags=tags) if tags else new
            created = create_rule(client, service_id, listener_id, request)
            new.update(id=created["id"], arn=created["arn"])
        rules[rule["name"]] = dict(new, tags=tags)
        changed = True
    # Tags of the rules that existed before, where the options manage them.
    purge_tags = module.params["purge_tags"]
    created_names = {rule["name"] for rule in plan["create"]}
    for rule in module.params["rules"] or []:
        if rule["name"] in created_names or rule["tags"] is None:
            continue
        current = rules[rule["name"]]
        tags_changed, current["tags"] = ensure_tags(
            client, current.get("arn"), current.get("tags", {}), rule["tags"], purge_tags, check_mode
        )
        changed |= tags_changed
    listener["rules"] = list(rules.values())
    return changed


def ensure_present(
    client, module: AnsibleAWSModule, service: Dict[str, Any], current: Optional[Dict[str, Any]], desired
) -> Tuple[bool, Dict[str, Any]]:
    """Create or update the listener and its rules; returns (changed, the listener in the API's shape)."""
    params = module.params
    check_mode = module.check_mode
    plan = compare(current, desired, params["purge_rules"])  # raises before any write

    changed = current is None
    listener = create(client, module, service, desired) if current is None else deepcopy(current)

    if plan["default_action"] is not None:
        if not check_mode:
            update_listener(client, service["id"], listener["id"], plan["default_action"])
        listener["defaultAction"] = plan["default_action"]
        changed = True

    changed |= ensure_rules(client, module, service["id"], listener, plan)

    if current is not None:
        tags_changed, listener["tags"] = ensure_tags(
            client, listener["arn"], listener["tags"], params["tags"], params["purge_tags"], check_mode
        )
        changed |= tags_changed

    if changed and not check_mode:
        # Report what AWS has now (timestamps, rule ids), unless it is not readable yet (wait=false).
        fresh = describe(client, service["id"], params["name"])
        if fresh is not None:
            listener = fresh
    return changed, listener


def ensure_absent(client, module: AnsibleAWSModule, service_id: str, current: Optional[Dict[str, Any]]) -> bool:
    """Delete the listener (its rules go with it) and wait until it is gone; returns changed."""
    return delete_and_wait(
        module,
        current,
        lambda: delete_listener(client, service_id, current["id"]),
        lambda: get_listener(client, service_id, current["id"]),
        "listener",
    )


def main():
    action_options = dict(
        forward=dict(
            type="dict",
            options=dict(
                target_groups=dict(
                    type="list",
                    elements="dict",
                    required=True,
                    options=dict(
                        target_group=dict(type="str", required=True),
                        weight=dict(type="int", default=100),
                    ),
                ),
            ),
        ),
        fixed_response=dict(type="dict", options=dict(status_code=dict(type="int", required=True))),
    )
    match_options = dict(
        path=dict(
            type="dict",
            options=dict(
                exact=dict(type="str"),
                prefix=dict(type="str"),
                case_sensitive=dict(type="bool", default=True),
            ),
        ),
        method=dict(type="str"),
        headers=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                match=dict(
                    type="dict",
                    required=True,
                    options=dict(exact=dict(type="str"), prefix=dict(type="str"), contains=dict(type="str")),
                ),
                case_sensitive=dict(type="bool", default=False),
            ),
        ),
    )
    argument_spec = lifecycle_argument_spec(
        service=dict(type="str", required=True),
        name=dict(type="str", required=True),
        protocol=dict(type="str", choices=["HTTP", "HTTPS", "TLS_PASSTHROUGH"]),
        port=dict(type="int"),
        default_action=dict(type="dict", options=deepcopy(action_options)),
        rules=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                priority=dict(type="int", required=True),
                match=dict(type="dict", required=True, options=match_options),
                action=dict(type="dict", required=True, options=deepcopy(action_options)),
                tags=dict(type="dict"),
            ),
        ),
        purge_rules=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["protocol", "default_action"])],
        supports_check_mode=True,
    )
    params = module.params

    # Refuse bad input before the first API call.
    problems = option_problems(params)
    if problems:
        module.fail_json(msg="; ".join(problems))

    client = module.client("vpc-lattice")
    try:
        service = resolve_service(client, params["service"])
        current = None
        if service is not None:
            current = describe(client, service["id"], params["name"])
        if params["state"] == "present":
            if service is None:
                raise AnsibleVpcLatticeError(message=f"service '{params['service']}' does not exist")
            desired = desired_state(params, target_group_ids(client, params))
            changed, listener = ensure_present(client, module, service, current, desired)
        else:
            service_id = service["id"] if service else None
            changed, listener = ensure_absent(client, module, service_id, current), None
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    before, after = report(current), report(listener)
    result = {"changed": changed}
    if after is not None:
        result["listener"] = after
    if module._diff:
        result["diff"] = listener_diff(before, after)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
