# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the VPC Lattice modules.

Every boto3 call sits in a small wrapper decorated with ``VpcLatticeErrorHandler`` and a retry
decorator, so a module catches one exception type, ``AnsibleVpcLatticeError``, and calls
``module.fail_json_aws_error(e)``. Getters return ``None`` for a resource that does not exist;
deleters return ``False`` when it was already gone.
"""

import json
import re
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

# Error codes worth another try on any call. AWSRetry already retries "Throttling" and
# "InternalError", but VPC Lattice names them ThrottlingException and InternalServerException
# (both carry the "retryable" trait in botocore's model).
TRANSIENT_ERROR_CODES = ["ThrottlingException", "InternalServerException"]

# ConflictException means "the resource is in a state that forbids this right now", e.g. deleting a
# service network whose VPC association is still DELETE_IN_PROGRESS. It is transient for updates and
# deletes, and permanent for creates (the name is taken), so only updates and deletes retry on it, and
# for less time: a conflict that outlives about a minute is a real one.
_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=TRANSIENT_ERROR_CODES)
_retry_on_conflict = AWSRetry.jittered_backoff(
    retries=6, catch_extra_error_codes=TRANSIENT_ERROR_CODES + ["ConflictException"]
)

# Statuses of the Lattice resources that have one (services, target groups, associations...).
# Service networks have no status: their create and delete calls complete synchronously.
FAILED_STATUSES = ("CREATE_FAILED", "UPDATE_FAILED", "DELETE_FAILED", "FAILED")


class AnsibleVpcLatticeError(AnsibleAWSError):
    """The one exception the VPC Lattice helpers raise."""


class VpcLatticeErrorHandler(AWSErrorHandler):
    """Turns botocore errors into AnsibleVpcLatticeError; ResourceNotFoundException means 'missing'."""

    _CUSTOM_EXCEPTION = AnsibleVpcLatticeError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# ---------------------------------------------------------------------------------------------
# Generic: pagination, name/id/ARN resolution, waiting, snake_case, diff
# ---------------------------------------------------------------------------------------------


@_retry
def _paginate(client, operation: str, **params) -> List[Dict[str, Any]]:
    return client.get_paginator(operation).paginate(**params).build_full_result().get("items", [])


def list_items(client, operation: str, **params) -> List[Dict[str, Any]]:
    """Every item of a paginated VPC Lattice ``List*`` call, e.g. ``list_items(client, "list_services")``."""
    description = operation.replace("_", " ")
    return VpcLatticeErrorHandler.common_error_handler(description)(_paginate)(client, operation, **params)


def resolve(
    identifier: str,
    get: Callable[[str], Optional[Dict[str, Any]]],
    list_all: Callable[[], List[Dict[str, Any]]],
    kind: str,
) -> Optional[Dict[str, Any]]:
    """The resource named by ``identifier`` (its name, id or ARN), as ``get`` returns it, or None.

    ``get`` takes an id or ARN; ``list_all`` returns the summaries searched by name or id (one List
    call, because a name may look like an id, and AWS answers a malformed id with a ValidationException).
    A name carried by several resources (one may be shared with this account) raises AnsibleVpcLatticeError.
    """
    if identifier.startswith("arn:"):
        return get(identifier)
    matches = [item for item in list_all() if identifier in (item.get("id"), item.get("name"))]
    if len(matches) > 1:
        arns = ", ".join(sorted(item["arn"] for item in matches))
        raise AnsibleVpcLatticeError(message=f"More than one {kind} is named '{identifier}' ({arns}): use its ARN")
    return get(matches[0]["id"]) if matches else None


def _poll(fetch, done, timeout: int, delay: int, what: str):
    deadline = time.monotonic() + timeout
    while True:
        resource = fetch()
        if done(resource):
            return resource
        if time.monotonic() + delay > deadline:
            raise AnsibleVpcLatticeError(message=f"Timeout waiting for {what} after {timeout} seconds")
        time.sleep(delay)


def wait_for_status(
    fetch: Callable[[], Optional[Dict[str, Any]]],
    statuses: Optional[Sequence[str]] = ("ACTIVE",),
    timeout: int = 300,
    delay: int = 5,
    description: str = "resource",
) -> Dict[str, Any]:
    """Poll ``fetch()`` until the resource's ``status`` is one of ``statuses``, and return it.

    ``statuses=None`` waits only for the resource to exist (for kinds without a status field).
    Raises AnsibleVpcLatticeError on a failed status (with AWS's failure message), if the resource
    disappears, or after ``timeout`` seconds.
    """

    def done(resource):
        if resource is None:
            if statuses is None:
                return False
            raise AnsibleVpcLatticeError(
                message=f"The {description} disappeared while waiting for it to be {'/'.join(statuses)}"
            )
        status = resource.get("status")
        if status in FAILED_STATUSES and status not in (statuses or ()):
            reason = resource.get("failureMessage") or resource.get("failureCode") or "no reason given"
            raise AnsibleVpcLatticeError(message=f"The {description} is {status}: {reason}")
        return statuses is None or status in statuses

    wanted = "exist" if statuses is None else f"be {'/'.join(statuses)}"
    return _poll(fetch, done, timeout, delay, f"the {description} to {wanted}")


def wait_for_deletion(
    fetch: Callable[[], Optional[Dict[str, Any]]],
    timeout: int = 300,
    delay: int = 5,
    description: str = "resource",
) -> None:
    """Poll ``fetch()`` until it returns None (the resource is gone); raise on DELETE_FAILED or timeout."""

    def done(resource):
        if resource is None:
            return True
        if resource.get("status") == "DELETE_FAILED":
            reason = resource.get("failureMessage") or resource.get("failureCode") or "no reason given"
            raise AnsibleVpcLatticeError(message=f"The {description} is DELETE_FAILED: {reason}")
        return False

    _poll(fetch, done, timeout, delay, f"the {description} to be deleted")


def delete_and_wait(module, current: Optional[Dict[str, Any]], delete, fetch, description: str) -> bool:
    """The modules' ``state=absent``: delete what exists and wait until it is gone; returns changed.

    ``delete`` returns False when the resource was already gone; ``fetch`` reads it (None once deleted).
    Check mode reports the change without deleting.
    """
    if current is None:
        return False
    if module.check_mode:
        return True
    if delete() and module.params["wait"]:
        wait_for_deletion(fetch, timeout=module.params["wait_timeout"], description=description)
    return True


def lifecycle_argument_spec(**options: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """A module's argument spec: its own options, then the ones every Lattice resource module shares."""
    spec = dict(options)
    spec.update(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    return spec


def to_ansible(resource: Optional[Dict[str, Any]], tags: Optional[Dict[str, str]] = None) -> Optional[Dict[str, Any]]:
    """A boto3 resource as the modules return it: snake_case keys, ISO 8601 dates, plus its ``tags`` dict.

    (VPC Lattice Get* answers carry no tags: pass ``list_tags(client, arn)``.)
    """
    if resource is None:
        return None
    result = camel_dict_to_snake_dict(normalize_boto3_result(resource))
    result.pop("response_metadata", None)
    result["tags"] = dict(tags or {})
    return result


def changes(current: Optional[Dict[str, Any]], desired: Dict[str, Any]) -> Dict[str, Any]:
    """The entries of ``desired`` that differ from ``current``; a None value means "not managed".

    The modules' one comparison: ``updates = changes(view, {"auth_type": ..., "port": ...})``, then
    one update call with ``updates`` when it is not empty (nothing is called when it is).
    """
    current = current or {}
    return {key: value for key, value in desired.items() if value is not None and current.get(key) != value}


def diff(before: Optional[Dict[str, Any]], after: Optional[Dict[str, Any]], keys: Sequence[str]) -> Dict[str, Any]:
    """``--diff`` output over the managed ``keys``; an absent resource is ``{}``."""

    def view(resource):
        return {key: resource.get(key) for key in keys} if resource else {}

    return {"before": view(before), "after": view(after)}


# ---------------------------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------------------------


@VpcLatticeErrorHandler.list_error_handler("list tags", {})
@_retry
def list_tags(client, arn: str) -> Dict[str, str]:
    """The resource's tags as a dict ({} when the resource is gone)."""
    return client.list_tags_for_resource(resourceArn=arn).get("tags", {})


@VpcLatticeErrorHandler.common_error_handler("tag resource")
@_retry
def tag_resource(client, arn: str, tags: Dict[str, str]) -> None:
    client.tag_resource(resourceArn=arn, tags=tags)


@VpcLatticeErrorHandler.common_error_handler("untag resource")
@_retry
def untag_resource(client, arn: str, keys: List[str]) -> None:
    client.untag_resource(resourceArn=arn, tagKeys=keys)


def ensure_tags(
    client,
    arn: Optional[str],
    current: Dict[str, str],
    tags: Optional[Dict[str, str]],
    purge_tags: bool,
    check_mode: bool,
) -> Tuple[bool, Dict[str, str]]:
    """Make the resource's tags match ``tags`` (None: leave them); returns (changed, resulting tags)."""
    if tags is None:
        return False, dict(current)
    to_set, to_unset = compare_aws_tags(current, tags, purge_tags)
    if not to_set and not to_unset:
        return False, dict(current)
    if not check_mode:
        if to_unset:
            untag_resource(client, arn, to_unset)
        if to_set:
            tag_resource(client, arn, {key: str(value) for key, value in to_set.items()})
    result = {key: value for key, value in current.items() if key not in to_unset}
    result.update({key: str(value) for key, value in to_set.items()})
    return True, result


# ---------------------------------------------------------------------------------------------
# Auth policies (service networks and services)
# ---------------------------------------------------------------------------------------------


def load_policy(value: Any, option: str) -> Optional[Dict[str, Any]]:
    """A policy document from a module option (dict or JSON string); raises naming ``option`` if invalid.

    Call it before the first API call, so a bad document fails the task before anything changes.
    """
    if value is None or isinstance(value, dict):
        return value
    try:
        policy = json.loads(value)
    except ValueError as e:
        raise AnsibleVpcLatticeError(message=f"{option} is not valid JSON: {e}") from e
    if not isinstance(policy, dict):
        raise AnsibleVpcLatticeError(message=f"{option} must be a JSON object (a policy document), not {value!r}")
    return policy


@VpcLatticeErrorHandler.list_error_handler("get auth policy")
@_retry
def get_auth_policy(client, identifier: str) -> Optional[Dict[str, Any]]:
    """The resource's auth policy document as a dict, or None when it has none."""
    policy = client.get_auth_policy(resourceIdentifier=identifier).get("policy")
    return json.loads(policy) if policy else None


@VpcLatticeErrorHandler.common_error_handler("put auth policy")
@_retry_on_conflict
def put_auth_policy(client, identifier: str, policy: Dict[str, Any]) -> None:
    # AWS wants the document on one line, without blank lines.
    client.put_auth_policy(resourceIdentifier=identifier, policy=json.dumps(policy, separators=(",", ":")))


@VpcLatticeErrorHandler.deletion_error_handler("delete auth policy")
@_retry_on_conflict
def delete_auth_policy(client, identifier: str) -> bool:
    client.delete_auth_policy(resourceIdentifier=identifier)
    return True


def policies_differ(current: Optional[Dict[str, Any]], desired: Optional[Dict[str, Any]]) -> bool:
    """Whether two policy documents differ after normalisation (order, single values vs lists...)."""
    if current is None or desired is None:
        return current is not desired
    return compare_policies(current, desired)


def ensure_auth_policy(
    client,
    identifier: Optional[str],
    current: Optional[Dict[str, Any]],
    desired: Optional[Dict[str, Any]],
    purge: bool,
    check_mode: bool,
) -> Tuple[bool, Optional[Dict[str, Any]]]:
    """Make the auth policy ``desired``; returns (changed, resulting policy).

    ``desired=None`` deletes the current policy when ``purge`` (auth type NONE) and leaves it otherwise.
    """
    if desired is None:
        if not purge or current is None:
            return False, current
        if not check_mode:
            delete_auth_policy(client, identifier)
        return True, None
    if not policies_differ(current, desired):
        return False, current
    if not check_mode:
        put_auth_policy(client, identifier, desired)
    return True, desired


# ---------------------------------------------------------------------------------------------
# Service networks
# ---------------------------------------------------------------------------------------------


@VpcLatticeErrorHandler.list_error_handler("get service network")
@_retry
def get_service_network(client, identifier: str) -> Optional[Dict[str, Any]]:
    """GetServiceNetwork by id or ARN, or None."""
    result = client.get_service_network(serviceNetworkIdentifier=identifier)
    result.pop("ResponseMetadata", None)
    return result


def list_service_networks(client) -> List[Dict[str, Any]]:
    """Summaries of every service network visible to the account (own and shared)."""
    return list_items(client, "list_service_networks")


def resolve_service_network(client, identifier: str) -> Optional[Dict[str, Any]]:
    """The service network with this name, ``sn-`` id or ARN (GetServiceNetwork's answer), or None."""
    return resolve(
        identifier,
        lambda key: get_service_network(client, key),
        lambda: list_service_networks(client),
        "service network",
    )


@VpcLatticeErrorHandler.common_error_handler("create service network")
@_retry
def create_service_network(client, name: str, auth_type: str, tags: Optional[Dict[str, str]]) -> Dict[str, Any]:
    params = {"name": name, "authType": auth_type}
    if tags:
        params["tags"] = {key: str(value) for key, value in tags.items()}
    result = client.create_service_network(**params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.common_error_handler("update service network")
@_retry_on_conflict
def update_service_network(client, identifier: str, auth_type: str) -> Dict[str, Any]:
    result = client.update_service_network(serviceNetworkIdentifier=identifier, authType=auth_type)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.deletion_error_handler("delete service network")
@_retry_on_conflict
def delete_service_network(client, identifier: str) -> bool:
    """Delete; False if it was already gone. AWS deletes its auth policy with it."""
    client.delete_service_network(serviceNetworkIdentifier=identifier)
    return True


def service_network_details(client, network: Dict[str, Any], include_auth_policy: bool = True) -> Dict[str, Any]:
    """A service network (GetServiceNetwork's answer) as the modules return it: snake_case, tags, auth policy."""
    result = to_ansible(network, list_tags(client, network["arn"]))
    if include_auth_policy:
        result["auth_policy"] = get_auth_policy(client, network["arn"])
    return result


def describe_service_network(client, identifier: str, include_auth_policy: bool = True) -> Optional[Dict[str, Any]]:
    """The service network with this name, id or ARN, as the modules return it, or None."""
    network = resolve_service_network(client, identifier)
    return None if network is None else service_network_details(client, network, include_auth_policy)


# ---------------------------------------------------------------------------------------------
# Services and target groups: lookups for the modules that reference them
# ---------------------------------------------------------------------------------------------


@VpcLatticeErrorHandler.list_error_handler("get service")
@_retry
def get_service(client, identifier: str) -> Optional[Dict[str, Any]]:
    """GetService by id or ARN, or None."""
    result = client.get_service(serviceIdentifier=identifier)
    result.pop("ResponseMetadata", None)
    return result


def resolve_service(client, identifier: str) -> Optional[Dict[str, Any]]:
    """The service with this name, ``svc-`` id or ARN (GetService's answer), or None."""
    return resolve(
        identifier,
        lambda key: get_service(client, key),
        lambda: list_items(client, "list_services"),
        "service",
    )


@VpcLatticeErrorHandler.list_error_handler("get target group")
@_retry
def get_target_group(client, identifier: str) -> Optional[Dict[str, Any]]:
    """GetTargetGroup by id or ARN, or None."""
    result = client.get_target_group(targetGroupIdentifier=identifier)
    result.pop("ResponseMetadata", None)
    return result


def resolve_target_group(client, identifier: str) -> Optional[Dict[str, Any]]:
    """The target group with this name, ``tg-`` id or ARN (GetTargetGroup's answer), or None."""
    return resolve(
        identifier,
        lambda key: get_target_group(client, key),
        lambda: list_items(client, "list_target_groups"),
        "target group",
    )


# ---------------------------------------------------------------------------------------------
# Listeners and their rules (vpc_lattice_listener)
# ---------------------------------------------------------------------------------------------


@VpcLatticeErrorHandler.list_error_handler("get listener")
@_retry
def get_listener(client, service_id: str, identifier: str) -> Optional[Dict[str, Any]]:
    """GetListener by id or ARN within the service (id or ARN), or None."""
    result = client.get_listener(serviceIdentifier=service_id, listenerIdentifier=identifier)
    result.pop("ResponseMetadata", None)
    return result


def find_listener(client, service_id: str, name: str) -> Optional[Dict[str, Any]]:
    """The service's listener named ``name`` (GetListener's answer), or None; names are unique in a service."""
    for item in list_items(client, "list_listeners", serviceIdentifier=service_id):
        if item.get("name") == name:
            return get_listener(client, service_id, item["id"])
    return None


@VpcLatticeErrorHandler.common_error_handler("create listener")
@_retry
def create_listener(client, service_id: str, params: Dict[str, Any]) -> Dict[str, Any]:
    """CreateListener with ``params`` (name, protocol, port, defaultAction, tags) in the API's shape."""
    result = client.create_listener(serviceIdentifier=service_id, **params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.common_error_handler("update listener")
@_retry_on_conflict
def update_listener(client, service_id: str, identifier: str, default_action: Dict[str, Any]) -> Dict[str, Any]:
    result = client.update_listener(
        serviceIdentifier=service_id, listenerIdentifier=identifier, defaultAction=default_action
    )
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.deletion_error_handler("delete listener")
@_retry_on_conflict
def delete_listener(client, service_id: str, identifier: str) -> bool:
    """Delete the listener (its rules go with it); False if it was already gone."""
    client.delete_listener(serviceIdentifier=service_id, listenerIdentifier=identifier)
    return True


@VpcLatticeErrorHandler.list_error_handler("get rule")
@_retry
def get_rule(client, service_id: str, listener_id: str, identifier: str) -> Optional[Dict[str, Any]]:
    """GetRule by id or ARN, or None."""
    result = client.get_rule(serviceIdentifier=service_id, listenerIdentifier=listener_id, ruleIdentifier=identifier)
    result.pop("ResponseMetadata", None)
    return result


def list_listener_rules(client, service_id: str, listener_id: str) -> List[Dict[str, Any]]:
    """The listener's rules (GetRule's answers, with match and action), without its default rule (``isDefault``)."""
    items = list_items(client, "list_rules", serviceIdentifier=service_id, listenerIdentifier=listener_id)
    rules = (get_rule(client, service_id, listener_id, item["id"]) for item in items if not item.get("isDefault"))
    return [rule for rule in rules if rule is not None]


@VpcLatticeErrorHandler.common_error_handler("create rule")
@_retry
def create_rule(client, service_id: str, listener_id: str, params: Dict[str, Any]) -> Dict[str, Any]:
    """CreateRule with ``params`` (name, priority, match, action, tags) in the API's shape."""
    result = client.create_rule(serviceIdentifier=service_id, listenerIdentifier=listener_id, **params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.common_error_handler("update rules")
@_retry_on_conflict
def _batch_update_rule(client, service_id: str, listener_id: str, updates: List[Dict[str, Any]]) -> Dict[str, Any]:
    return client.batch_update_rule(serviceIdentifier=service_id, listenerIdentifier=listener_id, rules=updates)


def batch_update_rules(client, service_id: str, listener_id: str, updates: List[Dict[str, Any]]) -> None:
    """BatchUpdateRule in batches of 10 (AWS checks priorities against a batch's end state, so rules can swap them).

    Each update is ``{"ruleIdentifier": ..., "priority"/"match"/"action": ...}``; any unsuccessful rule raises
    AnsibleVpcLatticeError with AWS's reasons.
    """
    for start in range(0, len(updates), 10):
        result = _batch_update_rule(client, service_id, listener_id, updates[start : start + 10])
        failures = result.get("unsuccessful") or []
        if failures:
            reasons = "; ".join(
                f"{item.get('ruleIdentifier')}: {item.get('failureCode')} {item.get('failureMessage', '')}".strip()
                for item in failures
            )
            raise AnsibleVpcLatticeError(message=f"Failed to update rules: {reasons}")


@VpcLatticeErrorHandler.deletion_error_handler("delete rule")
@_retry_on_conflict
def delete_rule(client, service_id: str, listener_id: str, identifier: str) -> bool:
    """Delete a (non-default) rule; False if it was already gone."""
    client.delete_rule(serviceIdentifier=service_id, listenerIdentifier=listener_id, ruleIdentifier=identifier)
    return True


# ---------------------------------------------------------------------------------------------
# Services (vpc_lattice_service, vpc_lattice_service_info)
# ---------------------------------------------------------------------------------------------


def list_services(client) -> List[Dict[str, Any]]:
    """Summaries of every service visible to the account (own and shared)."""
    return list_items(client, "list_services")


@VpcLatticeErrorHandler.common_error_handler("create service")
@_retry
def create_service(
    client,
    name: str,
    auth_type: str,
    custom_domain_name: Optional[str],
    certificate_arn: Optional[str],
    tags: Optional[Dict[str, str]],
) -> Dict[str, Any]:
    params = {"name": name, "authType": auth_type}
    if custom_domain_name:
        params["customDomainName"] = custom_domain_name
    if certificate_arn:
        params["certificateArn"] = certificate_arn
    if tags:
        params["tags"] = {key: str(value) for key, value in tags.items()}
    result = client.create_service(**params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.common_error_handler("update service")
@_retry_on_conflict
def update_service(
    client, identifier: str, auth_type: Optional[str] = None, certificate_arn: Optional[str] = None
) -> Dict[str, Any]:
    """UpdateService with the settings given (None: not sent)."""
    params = {"serviceIdentifier": identifier}
    if auth_type is not None:
        params["authType"] = auth_type
    if certificate_arn is not None:
        params["certificateArn"] = certificate_arn
    result = client.update_service(**params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.deletion_error_handler("delete service")
@_retry_on_conflict
def delete_service(client, identifier: str) -> bool:
    """Delete; False if it was already gone. AWS refuses (ConflictException) while a service network holds it."""
    client.delete_service(serviceIdentifier=identifier)
    return True


def service_details(client, service: Dict[str, Any], include_auth_policy: bool = True) -> Dict[str, Any]:
    """A service (GetService's answer) as the modules return it: snake_case, tags, auth policy.

    ``custom_domain_name`` and ``certificate_arn`` are always present, None when the service has none.
    """
    result = to_ansible(service, list_tags(client, service["arn"]))
    for key in ("custom_domain_name", "certificate_arn"):
        result[key] = result.get(key) or None
    if include_auth_policy:
        result["auth_policy"] = get_auth_policy(client, service["arn"])
    return result


def describe_service(client, identifier: str, include_auth_policy: bool = True) -> Optional[Dict[str, Any]]:
    """The service with this name, id or ARN, as the modules return it, or None."""
    service = resolve_service(client, identifier)
    return None if service is None else service_details(client, service, include_auth_policy)


# ---------------------------------------------------------------------------------------------
# Service network service associations (vpc_lattice_service_network_service_association)
# ---------------------------------------------------------------------------------------------


@VpcLatticeErrorHandler.list_error_handler("get service network service association")
@_retry
def get_service_network_service_association(client, identifier: str) -> Optional[Dict[str, Any]]:
    """GetServiceNetworkServiceAssociation by id or ARN, or None."""
    result = client.get_service_network_service_association(serviceNetworkServiceAssociationIdentifier=identifier)
    result.pop("ResponseMetadata", None)
    return result


def find_service_network_service_association(
    client, service_network_id: str, service_id: str
) -> Optional[Dict[str, Any]]:
    """The association of this service network with this service (ids or ARNs), as
    GetServiceNetworkServiceAssociation answers it, or None. AWS allows one association per pair."""
    items = list_items(
        client,
        "list_service_network_service_associations",
        serviceNetworkIdentifier=service_network_id,
        serviceIdentifier=service_id,
    )
    for item in items:
        association = get_service_network_service_association(client, item["id"])
        if association is not None:
            return association
    return None


@VpcLatticeErrorHandler.common_error_handler("create service network service association")
@_retry
def create_service_network_service_association(
    client, service_network_id: str, service_id: str, tags: Optional[Dict[str, str]]
) -> Dict[str, Any]:
    params = {"serviceNetworkIdentifier": service_network_id, "serviceIdentifier": service_id}
    if tags:
        params["tags"] = {key: str(value) for key, value in tags.items()}
    result = client.create_service_network_service_association(**params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.deletion_error_handler("delete service network service association")
@_retry_on_conflict
def delete_service_network_service_association(client, identifier: str) -> bool:
    """Delete; False if it was already gone."""
    client.delete_service_network_service_association(serviceNetworkServiceAssociationIdentifier=identifier)
    return True


# ---------------------------------------------------------------------------------------------
# Service network VPC associations (vpc_lattice_service_network_vpc_association)
# ---------------------------------------------------------------------------------------------


@VpcLatticeErrorHandler.list_error_handler("get service network VPC association")
@_retry
def get_service_network_vpc_association(client, identifier: str) -> Optional[Dict[str, Any]]:
    """GetServiceNetworkVpcAssociation by id or ARN, or None."""
    result = client.get_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=identifier)
    result.pop("ResponseMetadata", None)
    return result


def find_service_network_vpc_association(client, service_network_id: str, vpc_id: str) -> Optional[Dict[str, Any]]:
    """The association of this service network (id or ARN) with this VPC (GetServiceNetworkVpcAssociation's answer),
    or None. AWS allows one association per VPC, so the filtered list holds at most one."""
    items = list_items(
        client,
        "list_service_network_vpc_associations",
        serviceNetworkIdentifier=service_network_id,
        vpcIdentifier=vpc_id,
    )
    for item in items:
        association = get_service_network_vpc_association(client, item["id"])
        if association is not None:
            return association
    return None


@VpcLatticeErrorHandler.common_error_handler("create service network VPC association")
@_retry
def create_service_network_vpc_association(
    client,
    service_network_id: str,
    vpc_id: str,
    security_group_ids: Optional[List[str]],
    tags: Optional[Dict[str, str]],
) -> Dict[str, Any]:
    params = {"serviceNetworkIdentifier": service_network_id, "vpcIdentifier": vpc_id}
    if security_group_ids:
        params["securityGroupIds"] = list(security_group_ids)
    if tags:
        params["tags"] = {key: str(value) for key, value in tags.items()}
    result = client.create_service_network_vpc_association(**params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.common_error_handler("update service network VPC association")
@_retry_on_conflict
def update_service_network_vpc_association(client, identifier: str, security_group_ids: List[str]) -> Dict[str, Any]:
    """Replace the association's security groups (AWS refuses an empty list)."""
    result = client.update_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=identifier, securityGroupIds=list(security_group_ids)
    )
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.deletion_error_handler("delete service network VPC association")
@_retry_on_conflict
def delete_service_network_vpc_association(client, identifier: str) -> bool:
    """Delete; False if it was already gone."""
    client.delete_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=identifier)
    return True


# ---------------------------------------------------------------------------------------------
# Access log subscriptions (vpc_lattice_access_log_subscription)
# ---------------------------------------------------------------------------------------------

# Destination kinds AWS accepts, by the service part of the ARN; a resource has at most one
# subscription of each kind.
ACCESS_LOG_DESTINATION_PATTERNS = {
    "logs": r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[A-Za-z0-9_./#-]{1,512}(:\*)?$",
    "s3": r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$",
    "firehose": r"^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream/[A-Za-z0-9_.-]{1,64}$",
}


def access_log_destination_type(arn: str, option: str = "destination") -> str:
    """``logs``, ``s3`` or ``firehose`` for a valid destination ARN; raises naming ``option`` otherwise."""
    for kind, pattern in ACCESS_LOG_DESTINATION_PATTERNS.items():
        if re.match(pattern, arn or ""):
            return kind
    raise AnsibleVpcLatticeError(
        message=(
            f"{option} must be the ARN of a CloudWatch Logs log group (arn:aws:logs:REGION:ACCOUNT:log-group:NAME),"
            f" an S3 bucket (arn:aws:s3:::BUCKET) or a Firehose delivery stream"
            f" (arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME), not {arn!r}"
        )
    )


def same_access_log_destination(current: Optional[str], desired: Optional[str]) -> bool:
    """Whether two destination ARNs name the same destination (``log-group:x`` is ``log-group:x:*``)."""
    if current is None or desired is None:
        return current == desired

    def norm(arn: str) -> str:
        return arn[:-2] if ":log-group:" in arn and arn.endswith(":*") else arn

    return norm(current) == norm(desired)


def resolve_access_log_resource(client, identifier: str) -> Tuple[Optional[str], Optional[Dict[str, Any]]]:
    """(``service_network`` or ``service``, its Get answer) for a name, id or ARN; (None, None) if none exists.

    A name carried by both a service network and a service raises AnsibleVpcLatticeError asking for an id or ARN.
    """
    if identifier.startswith("arn:"):
        if ":servicenetwork/" in identifier:
            return "service_network", get_service_network(client, identifier)
        if ":service/" in identifier:
            return "service", get_service(client, identifier)
        raise AnsibleVpcLatticeError(
            message=f"resource must be a service network or service (name, id or ARN), not {identifier!r}"
        )
    network = resolve_service_network(client, identifier)
    service = resolve_service(client, identifier)
    if network is not None and service is not None:
        raise AnsibleVpcLatticeError(
            message=(
                f"resource '{identifier}' names both service network {network['arn']} and service {service['arn']}:"
                " give the id or ARN of the one you mean"
            )
        )
    if network is not None:
        return "service_network", network
    if service is not None:
        return "service", service
    return None, None


@VpcLatticeErrorHandler.list_error_handler("get access log subscription")
@_retry
def get_access_log_subscription(client, identifier: str) -> Optional[Dict[str, Any]]:
    """GetAccessLogSubscription by id or ARN, or None."""
    result = client.get_access_log_subscription(accessLogSubscriptionIdentifier=identifier)
    result.pop("ResponseMetadata", None)
    return result


def find_access_log_subscription(client, resource_id: str, destination_type: str) -> Optional[Dict[str, Any]]:
    """The resource's subscription whose destination is of ``destination_type`` (Get's answer), or None."""
    for item in list_items(client, "list_access_log_subscriptions", resourceIdentifier=resource_id):
        try:
            kind = access_log_destination_type(item.get("destinationArn", ""))
        except AnsibleVpcLatticeError:
            kind = (item.get("destinationArn") or "::").split(":")[2]
        if kind == destination_type:
            return get_access_log_subscription(client, item["id"])
    return None


@VpcLatticeErrorHandler.common_error_handler("create access log subscription")
@_retry
def create_access_log_subscription(
    client, resource_id: str, destination_arn: str, tags: Optional[Dict[str, str]]
) -> Dict[str, Any]:
    params = {"resourceIdentifier": resource_id, "destinationArn": destination_arn}
    if tags:
        params["tags"] = {key: str(value) for key, value in tags.items()}
    result = client.create_access_log_subscription(**params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.common_error_handler("update access log subscription")
@_retry_on_conflict
def update_access_log_subscription(client, identifier: str, destination_arn: str) -> Dict[str, Any]:
    result = client.update_access_log_subscription(
        accessLogSubscriptionIdentifier=identifier, destinationArn=destination_arn
    )
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.deletion_error_handler("delete access log subscription")
@_retry_on_conflict
def delete_access_log_subscription(client, identifier: str) -> bool:
    """Delete; False if it was already gone."""
    client.delete_access_log_subscription(accessLogSubscriptionIdentifier=identifier)
    return True


# ---------------------------------------------------------------------------------------------
# Target groups and their targets (vpc_lattice_target_group, vpc_lattice_target_group_info)
# ---------------------------------------------------------------------------------------------

# RegisterTargets and DeregisterTargets take at most 100 targets per call (botocore's model).
TARGETS_PER_CALL = 100


@VpcLatticeErrorHandler.common_error_handler("create target group")
@_retry
def create_target_group(
    client, name: str, target_type: str, config: Optional[Dict[str, Any]], tags: Optional[Dict[str, str]]
) -> Dict[str, Any]:
    params = {"name": name, "type": target_type}
    if config:
        params["config"] = config
    if tags:
        params["tags"] = {key: str(value) for key, value in tags.items()}
    result = client.create_target_group(**params)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.common_error_handler("update target group")
@_retry_on_conflict
def update_target_group(client, identifier: str, health_check: Dict[str, Any]) -> Dict[str, Any]:
    """Set the group's health check (the only setting UpdateTargetGroup changes)."""
    result = client.update_target_group(targetGroupIdentifier=identifier, healthCheck=health_check)
    result.pop("ResponseMetadata", None)
    return result


@VpcLatticeErrorHandler.deletion_error_handler("delete target group")
@_retry
def delete_target_group(client, identifier: str) -> bool:
    """Delete; False if it was already gone. No retry on ConflictException: AWS answers it while a listener
    or rule forwards to the group, which waiting does not cure."""
    client.delete_target_group(targetGroupIdentifier=identifier)
    return True


def list_targets(client, identifier: str) -> List[Dict[str, Any]]:
    """ListTargets: every target of the group with its ``status`` (and ``reasonCode`` when AWS gives one)."""
    return list_items(client, "list_targets", targetGroupIdentifier=identifier)


def _target_failures(result: Dict[str, Any], action: str) -> None:
    failed = result.get("unsuccessful") or []
    if failed:
        details = "; ".join(
            f"{item.get('id')}:{item.get('port')} {item.get('failureCode')}: {item.get('failureMessage')}"
            for item in failed
        )
        raise AnsibleVpcLatticeError(message=f"Failed to {action} {len(failed)} target(s): {details}")


@VpcLatticeErrorHandler.common_error_handler("register targets")
@_retry_on_conflict
def _register_targets(client, identifier: str, targets: List[Dict[str, Any]]) -> Dict[str, Any]:
    return client.register_targets(targetGroupIdentifier=identifier, targets=targets)


@VpcLatticeErrorHandler.common_error_handler("deregister targets")
@_retry_on_conflict
def _deregister_targets(client, identifier: str, targets: List[Dict[str, Any]]) -> Dict[str, Any]:
    return client.deregister_targets(targetGroupIdentifier=identifier, targets=targets)


def register_targets(client, identifier: str, targets: List[Dict[str, Any]]) -> None:
    """RegisterTargets in calls of at most 100; raises AnsibleVpcLatticeError listing any ``unsuccessful`` one."""
    for start in range(0, len(targets), TARGETS_PER_CALL):
        _target_failures(_register_targets(client, identifier, targets[start : start + TARGETS_PER_CALL]), "register")


def deregister_targets(client, identifier: str, targets: List[Dict[str, Any]]) -> None:
    """DeregisterTargets in calls of at most 100; raises AnsibleVpcLatticeError listing any ``unsuccessful`` one."""
    for start in range(0, len(targets), TARGETS_PER_CALL):
        _target_failures(
            _deregister_targets(client, identifier, targets[start : start + TARGETS_PER_CALL]), "deregister"
        )


def target_group_targets(client, identifier: str) -> List[Dict[str, Any]]:
    """The group's targets as the modules return them: ``id``, ``port``, ``status``, ``reason_code``, sorted."""
    targets = []
    for target in list_targets(client, identifier):
        view = {"id": target["id"], "port": target.get("port"), "status": target.get("status")}
        view["reason_code"] = target.get("reasonCode") or None
        targets.append({key: value for key, value in view.items() if value is not None})
    return sorted(targets, key=lambda target: (target["id"], target.get("port") or 0))


def target_group_details(client, target_group: Dict[str, Any], include_targets: bool = False) -> Dict[str, Any]:
    """A target group (GetTargetGroup's answer) as the modules return it: snake_case, tags, optionally targets."""
    result = to_ansible(target_group, list_tags(client, target_group["arn"]))
    if include_targets:
        result["targets"] = target_group_targets(client, target_group["arn"])
    return result
