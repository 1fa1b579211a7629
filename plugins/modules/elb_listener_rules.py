#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elb_listener_rules
version_added: 0.1.0
short_description: Manage the rules of an Application Load Balancer listener
description:
  - Make the non-default rules of one Elastic Load Balancing v2 listener what the task lists (each rule's
    priority, conditions, actions and tags).
  - The listener itself (port, protocol, certificates, default action) stays with M(amazon.aws.elb_application_lb),
    which leaves its rules alone when its listeners have no C(Rules), whatever C(purge_rules) says. In amazon.aws
    10.1 that module fails with C(ListenerArn None) or a C(TypeError) as soon as it is given rules (amazon.aws
    issues 2400 and 2537); this module is the way around. Give the load balancer its listeners without rules, then
    give each listener its rules here.
  - Rules are matched by priority. A rule at a listed priority is modified in place when its conditions or actions
    differ; a listed rule whose conditions and actions an unlisted rule already has is moved to its priority
    (C(SetRulePriorities)) rather than created again; the others are created; unlisted rules are deleted when
    O(purge_rules=true). The listener's default rule is never touched.
  - Conditions and actions take the CamelCase shapes of the ELBv2 API (and of M(amazon.aws.elb_application_lb)).
    They are compared after normalisation, so the extra fields AWS answers with (C(Order), a C(ForwardConfig)
    with weight 1, C(PathPatternConfig) next to C(Values), redirect components left at their defaults) are not
    changes, and a second run reports no change.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  listener_arn:
    description:
      - The ARN of the listener, for example from the C(listeners) that M(amazon.aws.elb_application_lb) returns.
      - A listener that does not exist fails the task, in check mode too.
    type: str
    required: true
  rules:
    description:
      - The listener's non-default rules. An empty list with O(purge_rules=true) deletes them all.
    type: list
    elements: dict
    required: true
    suboptions:
      priority:
        description:
          - The rule's priority, 1 to 50000, unique within the list; lower priorities are evaluated first.
        type: int
        required: true
      conditions:
        description:
          - >-
            One or more conditions, all of which a request must meet, as in the ELBv2 API, for example
            C({Field: path-pattern, Values: ["/api/*"]}), C({Field: path-pattern, PathPatternConfig: {Values:
            ["/api/*", "/v2/*"]}}), C({Field: host-header, HostHeaderConfig: {Values: [api.example.com]}}),
            C({Field: http-header, HttpHeaderConfig: {HttpHeaderName: X-Env, Values: [beta]}}),
            C({Field: http-request-method, HttpRequestMethodConfig: {Values: [GET]}}),
            C({Field: query-string, QueryStringConfig: {Values: [{Key: v, Value: "2"}]}}) or
            C({Field: source-ip, SourceIpConfig: {Values: [203.0.113.0/24]}}).
          - C(Values) is accepted for C(host-header) and C(path-pattern) only.
        type: list
        elements: dict
        required: true
      actions:
        description:
          - One or more actions, as in the ELBv2 API. The last one must be C(forward), C(redirect) or
            C(fixed-response); C(authenticate-oidc) and C(authenticate-cognito) may come before it.
          - >-
            C({Type: forward, TargetGroupArn: ARN}), or C(TargetGroupName) instead of the ARN (the target group
            must exist), or C({Type: forward, ForwardConfig: {TargetGroups: [{TargetGroupArn: ARN, Weight: 90},
            ...], TargetGroupStickinessConfig: {Enabled: true, DurationSeconds: 300}}}).
          - >-
            C({Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}}); the
            components left out keep the request's own (C(#{host}), C(/#{path}), C(#{query})...).
          - >-
            C({Type: fixed-response, FixedResponseConfig: {StatusCode: "404", ContentType: text/plain,
            MessageBody: Not found}}).
          - C(Order) defaults to the action's position in the list (1, 2, ...).
          - The client secret of an authenticate action is sent on creation and modification but never compared
            (AWS does not return it); set C(UseExistingClientSecret) to keep it on a modification.
        type: list
        elements: dict
        required: true
      tags:
        description:
          - The rule's tags. Not set means the rule's tags are left as they are.
        type: dict
  purge_rules:
    description:
      - Whether to delete the listener's non-default rules that O(rules) does not list.
      - With V(false), an unlisted rule stays, unless a listed rule takes its priority (it is then modified).
    type: bool
    default: true
  purge_tags:
    description:
      - Whether to remove from a rule the tags its O(rules[].tags) does not list. Rules without O(rules[].tags)
        keep theirs either way.
    type: bool
    default: true
notes:
  - Changes are made in this order, so that a request always finds a rule during the change; rules moved, rules
    modified, rules created, then unlisted rules deleted.
  - Check mode changes nothing and predicts RV(rules) (rules it would create have no C(rule_arn)); C(--diff) shows
    the rules before and after in their normalised form.
  - "The module calls C(elasticloadbalancing:DescribeRules), C(DescribeTags), C(DescribeTargetGroups) (for
    C(TargetGroupName)), C(CreateRule), C(ModifyRule), C(SetRulePriorities), C(DeleteRule), C(AddTags) and
    C(RemoveTags)."
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the web load balancer has its HTTPS listener, without rules (they come next)
  amazon.aws.elb_application_lb:
    name: shop-web
    subnets: "{{ public_subnet_ids }}"
    security_groups: ["{{ alb_security_group_id }}"]
    listeners:
      - Protocol: HTTPS
        Port: 443
        Certificates:
          - CertificateArn: "{{ certificate_arn }}"
        SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
        DefaultActions:
          - Type: forward
            TargetGroupName: shop-frontend
    purge_listeners: true
  register: web_alb

- name: Ensure the HTTPS listener sends /api/* to the backend and answers 404 on /internal/*
  blueprint.aws.elb_listener_rules:
    listener_arn: "{{ (web_alb.listeners | selectattr('port', 'equalto', 443) | first).listener_arn }}"
    rules:
      - priority: 10
        conditions:
          - Field: path-pattern
            Values: ["/api/*"]
        actions:
          - Type: forward
            TargetGroupName: shop-backend
        tags:
          blueprint:stack: shop
      - priority: 20
        conditions:
          - Field: path-pattern
            PathPatternConfig:
              Values: ["/internal/*"]
        actions:
          - Type: fixed-response
            FixedResponseConfig:
              StatusCode: "404"
              ContentType: text/plain
              MessageBody: Not found

- name: Ensure old hosts are redirected, leaving the listener's other rules alone
  blueprint.aws.elb_listener_rules:
    listener_arn: "{{ https_listener_arn }}"
    purge_rules: false
    rules:
      - priority: 5
        conditions:
          - Field: host-header
            HostHeaderConfig:
              Values: [old.example.com]
        actions:
          - Type: redirect
            RedirectConfig:
              Host: www.example.com
              StatusCode: HTTP_301

- name: Ensure the listener has no rules left (only its default action)
  blueprint.aws.elb_listener_rules:
    listener_arn: "{{ https_listener_arn }}"
    rules: []
"""

RETURN = r"""
listener_arn:
  description: The ARN of the listener.
  returned: always
  type: str
  sample: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/shop-web/0123456789abcdef/fedcba9876543210
rules:
  description:
    - The listener's non-default rules after the task (predicted in check mode), by priority, in snake_case and
      normalised (each condition with its C(*_config), each action with its C(order) and full config).
  returned: always
  type: list
  elements: dict
  contains:
    rule_arn:
      description: The ARN of the rule. Missing for a rule a check-mode run would create.
      returned: when the rule exists
      type: str
      sample: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/shop-web/0123456789abcdef/fedcba9876543210/0f1e2d3c4b5a6978
    priority:
      description: The rule's priority.
      returned: always
      type: int
      sample: 10
    conditions:
      description: The rule's conditions.
      returned: always
      type: list
      elements: dict
      sample: [{"field": "path-pattern", "path_pattern_config": {"values": ["/api/*"]}}]
    actions:
      description: The rule's actions, by order.
      returned: always
      type: list
      elements: dict
      sample:
        - type: forward
          order: 1
          forward_config:
            target_groups:
              - target_group_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/shop-backend/0123456789abcdef
                weight: 1
            target_group_stickiness_config:
              enabled: false
    tags:
      description: The rule's tags.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
"""

from copy import deepcopy
from typing import Any
from typing import Dict
from typing import List
from typing import Tuple

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import ACTION_CONFIGS
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import CONDITION_FIELDS
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import AnsibleELBv2Error
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import actions_match
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import add_tags
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import create_rule
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import delete_rule
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import describe_rules
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import describe_tags
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import find_target_group_arns
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import modify_rule
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import remove_tags
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import rule_view
from ansible_collections.blueprint.aws.plugins.module_utils.elbv2 import set_rule_priorities

PRIORITIES = range(1, 50001)
FINAL_ACTIONS = ("forward", "redirect", "fixed-response")
REDIRECT_STATUS_CODES = ("HTTP_301", "HTTP_302")


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------


def condition_problems(condition: Any, where: str) -> List[str]:
    if not isinstance(condition, dict):
        return [f"{where} must be a dict such as {{Field: path-pattern, Values: ['/api/*']}}, not {condition!r}"]
    field = condition.get("Field")
    if field not in CONDITION_FIELDS:
        return [f"{where}.Field must be one of {', '.join(CONDITION_FIELDS)}, not {field!r}"]
    config_key = CONDITION_FIELDS[field]
    config = condition.get(config_key)
    if "Values" in condition and field not in ("host-header", "path-pattern"):
        return [f"{where}: Values is for host-header and path-pattern only; use {config_key} for {field}"]
    if "Values" in condition and config is not None:
        return [f"{where}: give either Values or {config_key}, not both"]
    if config is None:
        values = condition.get("Values")
        if isinstance(values, list) and len(values) > 1:
            return [f"{where}: Values takes one {field}; give several in {config_key}.Values"]
    else:
        values = config.get("Values") if isinstance(config, dict) else None
    if not isinstance(values, list) or not values:
        return [f"{where}: {field} needs a non-empty list of values (in {config_key}.Values)"]
    if field == "http-header" and not (config or {}).get("HttpHeaderName"):
        return [f"{where}: http-header needs HttpHeaderConfig.HttpHeaderName"]
    return []


def action_problems(action: Any, where: str, last: bool) -> List[str]:
    if not isinstance(action, dict):
        return [f"{where} must be a dict such as {{Type: forward, TargetGroupArn: ...}}, not {action!r}"]
    kind = action.get("Type")
    if kind not in ACTION_CONFIGS:
        return [f"{where}.Type must be one of {', '.join(ACTION_CONFIGS)}, not {kind!r}"]
    problems = []
    if last and kind not in FINAL_ACTIONS:
        problems.append(f"{where}: the last action must be forward, redirect or fixed-response, not {kind}")
    if not last and kind in FINAL_ACTIONS:
        problems.append(f"{where}: {kind} must be the last action")
    if kind == "forward":
        groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or []
        if not (action.get("TargetGroupArn") or action.get("TargetGroupName") or groups):
            problems.append(f"{where}: forward needs TargetGroupArn, TargetGroupName or ForwardConfig.TargetGroups")
        for group in groups:
            if not isinstance(group, dict) or not (group.get("TargetGroupArn") or group.get("TargetGroupName")):
                problems.append(f"{where}.ForwardConfig.TargetGroups: each needs TargetGroupArn or TargetGroupName")
    elif kind == "redirect":
        status = (action.get("RedirectConfig") or {}).get("StatusCode")
        if status not in REDIRECT_STATUS_CODES:
            problems.append(f"{where}: redirect needs RedirectConfig.StatusCode HTTP_301 or HTTP_302, not {status!r}")
    elif kind == "fixed-response":
        status = str((action.get("FixedResponseConfig") or {}).get("StatusCode", ""))
        if not (len(status) == 3 and status[0] in "245" and status.isdigit()):
            problems.append(
                f"{where}: fixed-response needs FixedResponseConfig.StatusCode 2XX, 4XX or 5XX, not {status!r}"
            )
    elif not isinstance(action.get(ACTION_CONFIGS[kind]), dict):
        problems.append(f"{where}: {kind} needs {ACTION_CONFIGS[kind]}")
    return problems


def validate(module: AnsibleAWSModule) -> None:
    """Refuse bad input before the first API call, naming the rule and the field."""
    problems = []
    if not module.params["listener_arn"].startswith("arn:"):
        problems.append(f"listener_arn must be a listener's ARN, not {module.params['listener_arn']!r}")
    seen = set()
    for index, rule in enumerate(module.params["rules"]):
        where = f"rules[{index}]"
        priority = rule["priority"]
        if priority not in PRIORITIES:
            problems.append(f"{where}.priority must be 1 to 50000, not {priority}")
        elif priority in seen:
            problems.append(f"{where}.priority {priority} is listed twice")
        seen.add(priority)
        where = f"rules[priority={priority}]"
        if not rule["conditions"]:
            problems.append(f"{where}.conditions must list at least one condition")
        for position, condition in enumerate(rule["conditions"]):
            problems += condition_problems(condition, f"{where}.conditions[{position}]")
        if not rule["actions"]:
            problems.append(f"{where}.actions must list at least one action")
        for position, action in enumerate(rule["actions"]):
            problems += action_problems(action, f"{where}.actions[{position}]", position == len(rule["actions"]) - 1)
    if problems:
        module.fail_json(msg="; ".join(problems))


def target_group_names(rules: List[Dict[str, Any]]) -> List[str]:
    names = set()
    for rule in rules:
        for action in rule["actions"]:
            if action.get("TargetGroupName"):
                names.add(action["TargetGroupName"])
            for group in (action.get("ForwardConfig") or {}).get("TargetGroups") or []:
                if group.get("TargetGroupName"):
                    names.add(group["TargetGroupName"])
    return sorted(names)


def resolve_names(action: Dict[str, Any], arns: Dict[str, str]) -> Dict[str, Any]:
    """The action with TargetGroupName replaced by TargetGroupArn."""
    action = deepcopy(action)
    if action.get("TargetGroupName"):
        action["TargetGroupArn"] = arns[action.pop("TargetGroupName")]
    for group in (action.get("ForwardConfig") or {}).get("TargetGroups") or []:
        if group.get("TargetGroupName"):
            group["TargetGroupArn"] = arns[group.pop("TargetGroupName")]
    return action


def desired_rules(client, module: AnsibleAWSModule) -> List[Dict[str, Any]]:
    """The rules in the API's terms (Priority, Conditions, Actions with Order), target group names resolved."""
    rules = module.params["rules"]
    names = target_group_names(rules)
    arns = find_target_group_arns(client, names) if names else {}
    missing = [name for name in names if name not in arns]
    if missing:
        module.fail_json(msg=f"rules: no target group is named {', '.join(missing)} (TargetGroupName)")
    desired = []
    for rule in rules:
        actions = []
        for position, action in enumerate(rule["actions"], start=1):
            action = resolve_names(action, arns)
            action.setdefault("Order", position)
            actions.append(action)
        tags = None if rule["tags"] is None else {key: str(value) for key, value in rule["tags"].items()}
        desired.append({"Priority": rule["priority"], "Conditions": rule["conditions"], "Actions": actions,
                        "Tags": tags})  # fmt: skip
    return desired


# ---------------------------------------------------------------------------------------------
# Desired vs current
# ---------------------------------------------------------------------------------------------


def same_content(current: Dict[str, Any], wanted: Dict[str, Any]) -> bool:
    return current["conditions"] == wanted["conditions"] and actions_match(current["actions"], wanted["actions"])


def plan(current: List[Dict[str, Any]], desired: List[Dict[str, Any]], purge: bool) -> Dict[str, Any]:
    """What to change, from the current rules' views and the desired rules (API shape, with their views).

    Returns {"keep": [(current, wanted)], "move": [(current, wanted)], "modify": [(current, wanted)],
    "create": [wanted], "delete": [current]}: every desired rule lands in one of keep, move, modify or create.
    """
    by_priority = {rule["priority"]: rule for rule in current}
    wanted_priorities = {rule["view"]["priority"] for rule in desired}
    # Rules at a priority the task does not list: candidates for a move, else deleted (purge) or kept.
    unlisted = [rule for rule in current if rule["priority"] not in wanted_priorities]
    result: Dict[str, Any] = {"keep": [], "move": [], "modify": [], "create": [], "delete": []}
    for wanted in desired:
        view = wanted["view"]
        have = by_priority.get(view["priority"])
        if have is not None:
            result["keep" if same_content(have, view) else "modify"].append((have, wanted))
            continue
        twin = next((rule for rule in unlisted if same_content(rule, view)), None)
        if twin is not None:
            unlisted.remove(twin)
            result["move"].append((twin, wanted))
        else:
            result["create"].append(wanted)
    if purge:
        result["delete"] = unlisted
    return result


def ensure_tags(
    client, arn: Any, current: Dict[str, str], wanted: Any, purge: bool, check_mode: bool
) -> Tuple[bool, Dict[str, str]]:
    """Make a rule's tags ``wanted`` (None: leave them); returns (changed, resulting tags)."""
    if wanted is None:
        return False, dict(current)
    wanted = {key: str(value) for key, value in wanted.items()}
    to_set, to_unset = compare_aws_tags(current, wanted, purge)
    if not to_set and not to_unset:
        return False, dict(current)
    if not check_mode:
        if to_unset:
            remove_tags(client, arn, to_unset)
        if to_set:
            add_tags(client, arn, to_set)
    result = {key: value for key, value in current.items() if key not in to_unset}
    result.update(to_set)
    return True, result


def apply(client, module: AnsibleAWSModule, steps: Dict[str, Any]) -> Tuple[bool, List[Dict[str, Any]]]:
    """Make the changes ``steps`` lists (none in check mode); returns (changed, the rules' views after them)."""
    check_mode = module.check_mode
    listener_arn = module.params["listener_arn"]
    changed = any(steps[step] for step in ("move", "modify", "create", "delete"))
    listed: List[Tuple[Dict[str, Any], Any]] = []  # (view after, the tags the task gives it)

    # A moved rule takes a priority no current rule holds, so one SetRulePriorities call never conflicts.
    moves = {have["rule_arn"]: wanted["view"]["priority"] for have, wanted in steps["move"]}
    if moves and not check_mode:
        set_rule_priorities(client, moves)
    for have, wanted in steps["keep"] + steps["move"]:
        listed.append((dict(have, priority=wanted["view"]["priority"]), wanted["Tags"]))
    for have, wanted in steps["modify"]:
        if not check_mode:
            modify_rule(client, have["rule_arn"], wanted)
        listed.append((dict(wanted["view"], rule_arn=have["rule_arn"], tags=have["tags"]), wanted["Tags"]))
    for wanted in steps["create"]:
        view = dict(wanted["view"])  # its tags are the task's: CreateRule sets them
        if not check_mode:
            view["rule_arn"] = create_rule(client, listener_arn, wanted, view["tags"])["RuleArn"]
        listed.append((view, None))
    for have in steps["delete"]:
        if not check_mode:
            delete_rule(client, have["rule_arn"])

    after = []
    for view, tags in listed:
        tags_changed, view["tags"] = ensure_tags(
            client, view.get("rule_arn"), view["tags"], tags, module.params["purge_tags"], check_mode
        )
        changed |= tags_changed
        after.append(view)
    return changed, sorted(after + steps["unlisted_kept"], key=lambda rule: rule["priority"])


def read(client, module: AnsibleAWSModule) -> List[Dict[str, Any]]:
    """The listener's non-default rules as views (with tags), by priority; fails when the listener is missing."""
    listener_arn = module.params["listener_arn"]
    rules = describe_rules(client, listener_arn)
    if rules is None:
        module.fail_json(msg=f"listener_arn: there is no listener {listener_arn}")
    rules = [rule for rule in rules if not rule.get("IsDefault")]
    tags = describe_tags(client, [rule["RuleArn"] for rule in rules]) if rules else {}
    return sorted((rule_view(rule, tags.get(rule["RuleArn"])) for rule in rules), key=lambda rule: rule["priority"])


def to_ansible(rules: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The rules as the module returns them: snake_case, tags as they are."""
    result = []
    for rule in rules:
        tags = rule["tags"]
        view = camel_dict_to_snake_dict({key: value for key, value in rule.items() if key != "tags"})
        view["tags"] = tags
        result.append(view)
    return result


def diff_view(rules: List[Dict[str, Any]]) -> Dict[str, Any]:
    """--diff: the rules by priority, in the API's normalised shape, without ARNs."""
    return {
        "rules": [
            {"priority": rule["priority"], "conditions": rule["conditions"], "actions": rule["actions"],
             "tags": rule["tags"]}
            for rule in rules
        ]
    }  # fmt: skip


def ensure(client, module: AnsibleAWSModule) -> Tuple[bool, List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Make the listener's rules the listed ones; returns (changed, rules before, rules after)."""
    current = read(client, module)
    desired = desired_rules(client, module)
    for wanted in desired:
        wanted["view"] = rule_view(wanted, wanted["Tags"])
    steps = plan(current, desired, module.params["purge_rules"])
    handled = {have["rule_arn"] for have, _wanted in steps["keep"] + steps["move"] + steps["modify"]}
    handled |= {have["rule_arn"] for have in steps["delete"]}
    steps["unlisted_kept"] = [rule for rule in current if rule["rule_arn"] not in handled]

    changed, after = apply(client, module, steps)
    if changed and not module.check_mode:
        after = read(client, module)
    return changed, current, after


def main():
    argument_spec = dict(
        listener_arn=dict(type="str", required=True),
        rules=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(
                priority=dict(type="int", required=True),
                conditions=dict(type="list", elements="dict", required=True),
                actions=dict(type="list", elements="dict", required=True),
                tags=dict(type="dict"),
            ),
        ),
        purge_rules=dict(type="bool", default=True),
        purge_tags=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = module.client("elbv2")
    try:
        changed, before, after = ensure(client, module)
    except AnsibleELBv2Error as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed, "listener_arn": module.params["listener_arn"], "rules": to_ansible(after)}
    if module._diff:
        result["diff"] = {"before": diff_view(before), "after": diff_view(after)}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
