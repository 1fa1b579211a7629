# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the Elastic Load Balancing v2 modules (listener rules).

Every boto3 call sits in a small wrapper decorated with ``ELBv2ErrorHandler`` and a retry decorator, so a
module catches one exception type, ``AnsibleELBv2Error``, and calls ``module.fail_json_aws_error(e)``.
Getters return ``None`` for a listener that does not exist; deleters return ``False`` when the rule was
already gone.

A rule's conditions and actions come back from AWS with more than was sent: a ``path-pattern`` condition
carries both ``Values`` and ``PathPatternConfig``, every action an ``Order``, a forward action to one target
group also a ``ForwardConfig`` with weight 1 and stickiness off, a redirect every component with its default.
``canonical_conditions`` and ``canonical_actions`` bring what the user writes and what AWS answers to one
form, so that comparing them tells a real change from a reformulation.
"""

import json
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# ELBv2 throttles with "Throttling" (which AWSRetry knows); a rule or target group created a moment ago may
# not be visible to the next call yet.
_retry = AWSRetry.jittered_backoff()
_retry_fresh = AWSRetry.jittered_backoff(retries=6, catch_extra_error_codes=["RuleNotFound", "TargetGroupNotFound"])

# DescribeTags takes at most 20 ARNs.
TAGS_PER_CALL = 20

CONDITION_FIELDS = {
    "host-header": "HostHeaderConfig",
    "path-pattern": "PathPatternConfig",
    "http-header": "HttpHeaderConfig",
    "http-request-method": "HttpRequestMethodConfig",
    "query-string": "QueryStringConfig",
    "source-ip": "SourceIpConfig",
}
ACTION_CONFIGS = {
    "forward": "ForwardConfig",
    "redirect": "RedirectConfig",
    "fixed-response": "FixedResponseConfig",
    "authenticate-oidc": "AuthenticateOidcConfig",
    "authenticate-cognito": "AuthenticateCognitoConfig",
}
# RedirectConfig components AWS fills in when they are left out (#{...} keeps the request's own value).
REDIRECT_DEFAULTS = {"Protocol": "#{protocol}", "Port": "#{port}", "Host": "#{host}", "Path": "/#{path}",
                     "Query": "#{query}"}  # fmt: skip
# Keys of the authenticate actions AWS never returns (the client secret) or answers for itself.
AUTHENTICATE_IGNORED = ("ClientSecret", "UseExistingClientSecret")


class AnsibleELBv2Error(AnsibleAWSError):
    """The one exception the ELBv2 helpers raise."""


class ELBv2ErrorHandler(AWSErrorHandler):
    """Turns botocore errors into AnsibleELBv2Error; an unknown listener, rule or target group means 'missing'."""

    _CUSTOM_EXCEPTION = AnsibleELBv2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ListenerNotFound", "RuleNotFound", "TargetGroupNotFound"])


# ---------------------------------------------------------------------------------------------
# API wrappers
# ---------------------------------------------------------------------------------------------


@ELBv2ErrorHandler.list_error_handler("describe rules")
@_retry
def describe_rules(client, listener_arn: str) -> Optional[List[Dict[str, Any]]]:
    """Every rule of the listener (its default rule included), or None when the listener does not exist."""
    rules: List[Dict[str, Any]] = []
    params: Dict[str, Any] = {"ListenerArn": listener_arn}
    while True:
        answer = client.describe_rules(**params)
        rules += answer.get("Rules", [])
        if not answer.get("NextMarker"):
            return rules
        params["Marker"] = answer["NextMarker"]


@ELBv2ErrorHandler.list_error_handler("find target groups")
@_retry
def target_group_arns(client, names: List[str]) -> Optional[Dict[str, str]]:
    """{name: ARN} of the named target groups; None when one of them does not exist."""
    groups = client.describe_target_groups(Names=names).get("TargetGroups", [])
    return {group["TargetGroupName"]: group["TargetGroupArn"] for group in groups}


def find_target_group_arns(client, names: List[str]) -> Dict[str, str]:
    """{name: ARN} of the named target groups; the ones that do not exist are left out."""
    found: Dict[str, str] = {}
    for name in names:
        found.update(target_group_arns(client, [name]) or {})
    return found


@ELBv2ErrorHandler.common_error_handler("describe rule tags")
@_retry
def _describe_tags(client, arns: List[str]) -> List[Dict[str, Any]]:
    return client.describe_tags(ResourceArns=arns).get("TagDescriptions", [])


def describe_tags(client, arns: List[str]) -> Dict[str, Dict[str, str]]:
    """{ARN: tags} of the resources, in calls of at most 20."""
    tags: Dict[str, Dict[str, str]] = {arn: {} for arn in arns}
    for start in range(0, len(arns), TAGS_PER_CALL):
        for description in _describe_tags(client, arns[start : start + TAGS_PER_CALL]):
            tags[description["ResourceArn"]] = boto3_tag_list_to_ansible_dict(description.get("Tags", []))
    return tags


@ELBv2ErrorHandler.common_error_handler("create rule")
@_retry_fresh
def create_rule(client, listener_arn: str, rule: Dict[str, Any], tags: Optional[Dict[str, str]]) -> Dict[str, Any]:
    """CreateRule; returns the new rule."""
    params = {"ListenerArn": listener_arn, "Priority": rule["Priority"], "Conditions": rule["Conditions"],
              "Actions": rule["Actions"]}  # fmt: skip
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_rule(**params)["Rules"][0]


@ELBv2ErrorHandler.common_error_handler("modify rule")
@_retry_fresh
def modify_rule(client, rule_arn: str, rule: Dict[str, Any]) -> Dict[str, Any]:
    """ModifyRule: replace the rule's conditions and actions."""
    return client.modify_rule(RuleArn=rule_arn, Conditions=rule["Conditions"], Actions=rule["Actions"])["Rules"][0]


@ELBv2ErrorHandler.common_error_handler("set rule priorities")
@_retry_fresh
def set_rule_priorities(client, priorities: Dict[str, int]) -> None:
    """SetRulePriorities for {rule ARN: priority}, in one call."""
    client.set_rule_priorities(
        RulePriorities=[{"RuleArn": arn, "Priority": priority} for arn, priority in priorities.items()]
    )


@ELBv2ErrorHandler.deletion_error_handler("delete rule")
@_retry
def delete_rule(client, rule_arn: str) -> bool:
    client.delete_rule(RuleArn=rule_arn)
    return True


@ELBv2ErrorHandler.common_error_handler("tag rule")
@_retry_fresh
def add_tags(client, arn: str, tags: Dict[str, str]) -> None:
    client.add_tags(ResourceArns=[arn], Tags=ansible_dict_to_boto3_tag_list(tags))


@ELBv2ErrorHandler.common_error_handler("untag rule")
@_retry_fresh
def remove_tags(client, arn: str, keys: List[str]) -> None:
    client.remove_tags(ResourceArns=[arn], TagKeys=keys)


# ---------------------------------------------------------------------------------------------
# Canonical forms of conditions and actions
# ---------------------------------------------------------------------------------------------


def _sorted_unique(values: List[Any]) -> List[Any]:
    """Values of a condition: their order does not matter to AWS (any one matches)."""
    unique = {json.dumps(value, sort_keys=True): value for value in values}
    return [unique[key] for key in sorted(unique)]


def canonical_condition(condition: Dict[str, Any]) -> Dict[str, Any]:
    """One condition as ``{Field, <Field>Config}``, whether given with ``Values`` or its config (or both)."""
    field = condition.get("Field")
    config_key = CONDITION_FIELDS.get(field)
    if config_key is None:
        return dict(condition)
    config = dict(condition.get(config_key) or {})
    if field in ("host-header", "path-pattern") and not config.get("Values"):
        config["Values"] = list(condition.get("Values") or [])
    if "Values" in config:
        config["Values"] = _sorted_unique(config["Values"])
    if field == "http-header" and "HttpHeaderName" in config:
        config["HttpHeaderName"] = config["HttpHeaderName"].lower()  # header names are case-insensitive
    return {"Field": field, config_key: config}


def canonical_conditions(conditions: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The rule's conditions, canonical and sorted (AWS applies them all, in no order)."""
    canonical = [canonical_condition(condition) for condition in conditions or []]
    return sorted(canonical, key=lambda condition: json.dumps(condition, sort_keys=True))


def _forward_config(action: Dict[str, Any]) -> Dict[str, Any]:
    config = action.get("ForwardConfig") or {}
    groups = config.get("TargetGroups") or []
    if not groups and action.get("TargetGroupArn"):
        groups = [{"TargetGroupArn": action["TargetGroupArn"]}]
    groups = [{"TargetGroupArn": group["TargetGroupArn"], "Weight": int(group.get("Weight", 1))} for group in groups]
    stickiness = dict(config.get("TargetGroupStickinessConfig") or {})
    enabled = bool(stickiness.get("Enabled", False))
    canonical_stickiness: Dict[str, Any] = {"Enabled": enabled}
    if enabled and stickiness.get("DurationSeconds") is not None:
        canonical_stickiness["DurationSeconds"] = int(stickiness["DurationSeconds"])
    return {
        "TargetGroups": sorted(groups, key=lambda group: group["TargetGroupArn"]),
        "TargetGroupStickinessConfig": canonical_stickiness,
    }


def canonical_action(action: Dict[str, Any], order: int) -> Dict[str, Any]:
    """One action with its ``Order`` (its position when not given) and its config in full."""
    kind = action.get("Type")
    result: Dict[str, Any] = {"Type": kind, "Order": int(action.get("Order") or order)}
    if kind == "forward":
        result["ForwardConfig"] = _forward_config(action)
    elif kind == "redirect":
        config = dict(REDIRECT_DEFAULTS)
        config.update({key: str(value) for key, value in (action.get("RedirectConfig") or {}).items()})
        result["RedirectConfig"] = config
    elif kind == "fixed-response":
        config = {key: str(value) for key, value in (action.get("FixedResponseConfig") or {}).items() if value}
        result["FixedResponseConfig"] = config
    elif kind in ACTION_CONFIGS:
        key = ACTION_CONFIGS[kind]
        config = {name: value for name, value in (action.get(key) or {}).items() if name not in AUTHENTICATE_IGNORED}
        result[key] = config
    else:
        result.update({key: value for key, value in action.items() if key not in ("Type", "Order")})
    return result


def canonical_actions(actions: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The rule's actions, canonical, in the order AWS performs them."""
    canonical = [canonical_action(action, position) for position, action in enumerate(actions or [], start=1)]
    return sorted(canonical, key=lambda action: action["Order"])


def actions_match(current: List[Dict[str, Any]], desired: List[Dict[str, Any]]) -> bool:
    """Whether the current (canonical) actions are the desired (canonical) ones.

    An authenticate action's config is compared on the keys the task gives only: AWS never returns the client
    secret and fills in defaults of its own (scope, session cookie name and timeout).
    """
    if len(current) != len(desired):
        return False
    for have, want in zip(current, desired):
        key = ACTION_CONFIGS.get(want["Type"])
        if want["Type"].startswith("authenticate-") and have["Type"] == want["Type"]:
            wanted_config = want.get(key) or {}
            have_config = {name: (have.get(key) or {}).get(name) for name in wanted_config}
            if have_config != wanted_config or have["Order"] != want["Order"]:
                return False
        elif have != want:
            return False
    return True


def rule_view(rule: Dict[str, Any], tags: Optional[Dict[str, str]]) -> Dict[str, Any]:
    """A rule (DescribeRules' answer, or one the task describes) as the module compares and diffs it."""
    view = {
        "priority": int(rule["Priority"]),
        "conditions": canonical_conditions(rule.get("Conditions") or []),
        "actions": canonical_actions(rule.get("Actions") or []),
        "tags": dict(tags or {}),
    }
    if rule.get("RuleArn"):
        view["rule_arn"] = rule["RuleArn"]
    return view
