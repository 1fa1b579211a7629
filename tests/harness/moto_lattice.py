# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC Lattice in the emulator: the lifecycle moto 5.2.5 lacks, and its answers made to agree with AWS.

moto's vpclattice backend creates, gets and lists. The blueprint's lattice modules also update, delete,
register targets and manage listener rules, so ``apply()`` grafts those operations onto moto's own backend
and response classes (same models, exceptions and paginator) and routes their URLs before any server app is
built. Reference: botocore's ``vpc-lattice`` model and the AWS API reference. docs/emulator.md lists each
operation and each place moto disagreed with AWS; tests/unit/harness/test_moto_lattice.py covers them.
"""

from __future__ import annotations

import hashlib
import json
import types
import uuid
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.utilities.paginator import paginate
from moto.vpclattice import exceptions, models, urls
from moto.vpclattice.exceptions import ResourceNotFoundException, ValidationException
from moto.vpclattice.models import VPCLatticeBackend, VPCLatticeRule, vpclattice_backends
from moto.vpclattice.responses import VPCLatticeResponse

_APPLIED: list[str] = []
_ORIGINAL: dict[str, Any] = {}

PAGINATION_MODEL: dict[str, dict[str, Any]] = {
    name: {"input_token": "next_token", "limit_key": "max_results", "limit_default": 50, "unique_attribute": key}
    for name, key in (("list_rules", "id"), ("list_targets", ["id", "port"]), ("list_access_log_subscriptions", "id"))
}

# Explicit routes for the added operations; moto's greedy ``.+`` patterns also catch them, these do not rely on it.
URL_PATHS = {
    "{0}/services/(?P<serviceIdentifier>[^/]+)/listeners/(?P<listenerIdentifier>[^/]+)"
    "/rules/(?P<ruleIdentifier>[^/]+)$",
    "{0}/targetgroups/(?P<targetGroupIdentifier>[^/]+)/registertargets$",
    "{0}/targetgroups/(?P<targetGroupIdentifier>[^/]+)/deregistertargets$",
    "{0}/targetgroups/(?P<targetGroupIdentifier>[^/]+)/listtargets$",
    "{0}/servicenetworkvpcassociations/(?P<serviceNetworkVpcAssociationIdentifier>[^/]+)$",
}


class ConflictException(JsonRESTError):
    """HTTP 409, with the resourceId and resourceType botocore's ConflictException shape requires."""

    code = 409

    def __init__(self, message: str, resource_id: str, resource_type: str):
        super().__init__("ConflictException", message)
        self.description = json.dumps(
            {
                "__type": "ConflictException",
                "message": message,
                "resourceId": resource_id,
                "resourceType": resource_type,
            }
        )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _local_id(identifier: str | None) -> str | None:
    """AWS takes an id or an ARN for every identifier; the id is the ARN's last path segment."""
    if identifier and identifier.startswith("arn:"):
        return identifier.rsplit("/", 1)[-1]
    return identifier


def _backend_of(resource: Any) -> VPCLatticeBackend:
    """The backend holding ``resource``, from its ARN's region and account."""
    parts = resource.arn.split(":")
    return vpclattice_backends[parts[4]][parts[3]]


def _rules_of(backend: VPCLatticeBackend, listener: Any) -> list[VPCLatticeRule]:
    return [rule for rule in backend.rules.values() if rule.listener_identifier == listener.id]


def _rules_forwarding_to(backend: VPCLatticeBackend, target_group: Any) -> list[VPCLatticeRule]:
    """Rules (default rules included, so listener default actions too) that forward to ``target_group``."""
    return [
        rule for rule in backend.rules.values()
        if any(_local_id(entry.get("targetGroupIdentifier")) == target_group.id
               for entry in (rule.action or {}).get("forward", {}).get("targetGroups", []))
    ]  # fmt: skip


def _service_arns_of(backend: VPCLatticeBackend, target_group: Any) -> list[str]:
    services = (backend.services.get(rule.service_identifier) for rule in _rules_forwarding_to(backend, target_group))
    return sorted({service.arn for service in services if service})


def _targets_of(target_group: Any) -> dict[tuple[str, int | None], dict[str, Any]]:
    if not hasattr(target_group, "targets"):
        target_group.targets = {}
    return target_group.targets


def _target(target_group: Any, target: dict[str, Any]) -> dict[str, Any]:
    """A target as AWS reports it: its port defaults to the target group's (Lambda targets have none)."""
    port = target.get("port", target_group.config.get("port"))
    return {"id": target["id"], "port": port} if port is not None else {"id": target["id"]}


def _target_status(backend: VPCLatticeBackend, target_group: Any) -> str:
    """UNUSED until a service routes to the group, then UNAVAILABLE without health checks, else HEALTHY.

    Health checks are on by default for IP and INSTANCE groups on HTTP1, off for HTTP2/GRPC, and unsupported
    for LAMBDA and ALB groups (AWS user guide, target group health checks). The emulator sends no traffic:
    the initial health check passes at once, so INITIAL, UNHEALTHY and DRAINING never appear.
    """
    if not _rules_forwarding_to(backend, target_group):
        return "UNUSED"
    config = target_group.config
    enabled_by_default = config.get("protocolVersion", "HTTP1") == "HTTP1"
    enabled = (config.get("healthCheck") or {}).get("enabled", enabled_by_default)
    if target_group.type in ("LAMBDA", "ALB") or not enabled:
        return "UNAVAILABLE"
    return "HEALTHY"


def _check_priority(backend: VPCLatticeBackend, listener: Any, priority: int, rule_id: str = "") -> None:
    for rule in _rules_of(backend, listener):
        if not rule.is_default and rule.priority == priority and rule.id != rule_id:
            raise ConflictException(f"Priority {priority} is already used by rule {rule.id}", rule.id, "RULE")


def _change_rule(rule: Any, match: Any, priority: Any, action: Any) -> None:
    if match is not None:
        rule.match = match
    if priority is not None:
        rule.priority = priority
    if action is not None:
        rule.action = action
    rule.last_updated_at = _now()


def _add_default_rule(backend: VPCLatticeBackend, listener: Any) -> None:
    """Each listener has a default rule: ListRules/GetRule show it (isDefault), with the listener's default action."""
    rule = VPCLatticeRule(
        backend.region_name, backend.account_id, listener.default_action, "", listener.id, {}, "default", None,
        listener.service_identifier, None,
    )  # fmt: skip
    rule.is_default = True
    rule.arn = f"{listener.arn}/rule/{rule.id}"
    backend.rules[rule.id] = rule


def _forget(backend: VPCLatticeBackend, *resources: Any) -> None:
    """What goes with a deleted resource: its tags, auth and resource policies, and access log subscriptions."""
    for resource in resources:
        backend.tagger.delete_all_tags_for_resource(resource.arn)
        backend.auth_policies.pop(resource.id, None)
        backend.resource_policies.pop(resource.arn, None)
        for sub in [sub for sub in backend.access_log_subscriptions.values() if sub.resourceId == resource.id]:
            del backend.access_log_subscriptions[sub.id]
            backend.tagger.delete_all_tags_for_resource(sub.arn)


def _in_use(message: str, users: list[Any], resource_type: str) -> None:
    if users:
        raise ConflictException(message, users[0].id, resource_type)


class LatticeBackend:
    """Operations grafted onto moto's VPCLatticeBackend: ``self`` is that backend."""

    # AWS takes an id or an ARN wherever it asks for an identifier; moto looked ids up only.
    def get_service(self, service_identifier: str) -> Any:
        return _ORIGINAL["get_service"](self, _local_id(service_identifier))

    def get_service_network(self, service_network_identifier: str) -> Any:
        return _ORIGINAL["get_service_network"](self, _local_id(service_network_identifier))

    def get_target_group(self, target_group_identifier: str) -> Any:
        return _ORIGINAL["get_target_group"](self, _local_id(target_group_identifier))

    def get_listener(self, service_identifier: str, listener_identifier: str) -> Any:
        return _ORIGINAL["get_listener"](self, service_identifier, _local_id(listener_identifier))

    def get_service_network_service_association(self, service_network_service_association_identifier: str) -> Any:
        return _ORIGINAL["get_service_network_service_association"](
            self, _local_id(service_network_service_association_identifier)
        )

    def list_service_network_service_associations(self, **kwargs: Any) -> Any:
        for key in ("service_network_identifier", "service_identifier"):
            kwargs[key] = _local_id(kwargs.get(key))
        return _ORIGINAL["list_service_network_service_associations"](self, **kwargs)

    def create_access_log_subscription(self, **kwargs: Any) -> Any:
        kwargs["resourceIdentifier"] = _local_id(kwargs["resourceIdentifier"])
        return _ORIGINAL["create_access_log_subscription"](self, **kwargs)

    @paginate(pagination_model=PAGINATION_MODEL)
    def list_access_log_subscriptions(self, resource_identifier: str) -> list[Any]:
        wanted = _local_id(resource_identifier)
        return [sub for sub in self.access_log_subscriptions.values() if sub.resourceId == wanted]

    # Tags: AWS answers ResourceNotFoundException for an ARN it does not know; moto tagged anything.
    def tag_resource(self, resource_arn: str, tags: dict[str, str]) -> None:
        self.check_lattice_arn(resource_arn)
        _ORIGINAL["tag_resource"](self, resource_arn, tags)

    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> None:
        self.check_lattice_arn(resource_arn)
        _ORIGINAL["untag_resource"](self, resource_arn, tag_keys)

    def list_tags_for_resource(self, resource_arn: str) -> dict[str, str]:
        self.check_lattice_arn(resource_arn)
        return _ORIGINAL["list_tags_for_resource"](self, resource_arn)

    def check_lattice_arn(self, resource_arn: str) -> None:
        if resource_arn not in {resource.arn for resource in self.iter_tagged_resources()}:
            raise ResourceNotFoundException(f"Resource {resource_arn} not found")

    # Service networks
    def update_service_network(self, service_network_identifier: str, auth_type: str) -> Any:
        network = self.get_service_network(service_network_identifier)
        network.auth_type = auth_type
        network.last_updated_at = _now()
        return network

    def delete_service_network(self, service_network_identifier: str) -> None:
        network = self.get_service_network(service_network_identifier)
        for kind, associations in (
            ("SERVICE_NETWORK_VPC_ASSOCIATION", self.service_network_vpc_associations),
            ("SERVICE_NETWORK_SERVICE_ASSOCIATION", self.service_network_service_associations),
            ("SERVICE_NETWORK_RESOURCE_ASSOCIATION", self.service_network_resource_associations),
        ):
            users = [assoc for assoc in associations.values() if assoc.service_network_id == network.id]
            _in_use(f"Service network {network.id} still has associations; delete them first", users, kind)
        del self.service_networks[network.id]
        _forget(self, network)

    # Services
    def update_service(self, service_identifier: str, auth_type: str | None, certificate_arn: str | None) -> Any:
        service = self.get_service(service_identifier)
        if auth_type is not None:
            service.auth_type = auth_type
        if certificate_arn is not None:
            service.certificate_arn = certificate_arn
        service.last_updated_at = _now()
        return service

    def delete_service(self, service_identifier: str) -> Any:
        service = self.get_service(service_identifier)
        users = [
            assoc for assoc in self.service_network_service_associations.values() if assoc.service_id == service.id
        ]
        _in_use(f"Service {service.id} is associated with a service network", users, "SERVICE")
        for listener in [listener for listener in self.listeners.values() if listener.service_identifier == service.id]:
            self.delete_listener(service.id, listener.id)
        del self.services[service.id]
        _forget(self, service)
        service.status = "DELETE_IN_PROGRESS"
        return service

    # Listeners and rules
    def create_listener(self, **kwargs: Any) -> Any:
        listener = _ORIGINAL["create_listener"](self, **kwargs)
        if kwargs.get("port") is None and listener.protocol == "HTTP":
            listener.port = 80  # AWS: 80 for HTTP, 443 for HTTPS; moto said 443 for both
        _add_default_rule(self, listener)
        return listener

    def update_listener(self, service_identifier: str, listener_identifier: str, default_action: dict) -> Any:
        listener = self.get_listener(service_identifier, listener_identifier)
        listener.default_action = default_action
        listener.last_updated_at = _now()
        for rule in _rules_of(self, listener):
            if rule.is_default:
                _change_rule(rule, None, None, default_action)
        return listener

    def delete_listener(self, service_identifier: str, listener_identifier: str) -> None:
        listener = self.get_listener(service_identifier, listener_identifier)
        for rule in _rules_of(self, listener):
            del self.rules[rule.id]
            self.tagger.delete_all_tags_for_resource(rule.arn)
        del self.listeners[listener.id]
        self.tagger.delete_all_tags_for_resource(listener.arn)

    def create_rule(
        self, action: dict, client_token: str, listener_identifier: str, match: dict, name: str, priority: int,
        service_identifier: str, tags: dict[str, str] | None,
    ) -> VPCLatticeRule:  # fmt: skip
        listener = self.get_listener(service_identifier, listener_identifier)
        _check_priority(self, listener, priority)
        rule = VPCLatticeRule(
            self.region_name, self.account_id, action, client_token, listener.id, match, name, priority,
            listener.service_identifier, tags,
        )  # fmt: skip
        rule.arn = f"{listener.arn}/rule/{rule.id}"  # moto wrote .../listener/listener-listener-.../rule/...
        self.rules[rule.id] = rule
        self.tag_resource(rule.arn, tags or {})
        return rule

    def get_rule(self, service_identifier: str, listener_identifier: str, rule_identifier: str) -> Any:
        listener = self.get_listener(service_identifier, listener_identifier)
        rule = self.rules.get(_local_id(rule_identifier))
        if rule is None or rule.listener_identifier != listener.id:
            raise ResourceNotFoundException(f"Rule {rule_identifier} not found in listener {listener.id}")
        return rule

    @paginate(pagination_model=PAGINATION_MODEL)
    def list_rules(self, service_identifier: str, listener_identifier: str) -> list[Any]:
        listener = self.get_listener(service_identifier, listener_identifier)
        return sorted(_rules_of(self, listener), key=lambda rule: (rule.is_default, rule.priority or 0))

    def update_rule(
        self, service_identifier: str, listener_identifier: str, rule_identifier: str,
        match: dict | None, priority: int | None, action: dict | None,
    ) -> Any:  # fmt: skip
        rule = self.get_rule(service_identifier, listener_identifier, rule_identifier)
        if rule.is_default and (match is not None or priority is not None):
            raise ValidationException("The default rule has no match and its priority cannot change")
        if priority is not None:
            _check_priority(self, self.listeners[rule.listener_identifier], priority, rule.id)
        _change_rule(rule, match, priority, action)
        if rule.is_default and action is not None:
            self.listeners[rule.listener_identifier].default_action = action
        return rule

    def delete_rule(self, service_identifier: str, listener_identifier: str, rule_identifier: str) -> None:
        rule = self.get_rule(service_identifier, listener_identifier, rule_identifier)
        if rule.is_default:
            raise ValidationException("The default rule of a listener cannot be deleted")
        del self.rules[rule.id]
        self.tagger.delete_all_tags_for_resource(rule.arn)

    def batch_update_rule(
        self, service_identifier: str, listener_identifier: str, rules: list[dict]
    ) -> tuple[list[Any], list[dict]]:
        """Priorities are checked against the state after the whole batch, so two rules can swap priorities."""
        listener = self.get_listener(service_identifier, listener_identifier)
        planned, failed = [], []
        for update in rules:
            try:
                rule = self.get_rule(listener.service_identifier, listener.id, update["ruleIdentifier"])
                if rule.is_default and ("match" in update or "priority" in update):
                    raise ValidationException("The default rule has no match and its priority cannot change")
                planned.append((rule, update))
            except (ResourceNotFoundException, ValidationException) as error:
                failed.append({"ruleIdentifier": update["ruleIdentifier"], "failureCode": error.error_type,
                               "failureMessage": error.message})  # fmt: skip
        final = {rule.id: rule.priority for rule in _rules_of(self, listener) if not rule.is_default}
        final.update({rule.id: update.get("priority", rule.priority) for rule, update in planned})
        taken = Counter(final.values())
        done = []
        for rule, update in planned:
            if taken[update.get("priority")] > 1:
                failed.append({"ruleIdentifier": update["ruleIdentifier"], "failureCode": "ConflictException",
                               "failureMessage": f"Priority {update['priority']} is used by another rule"})  # fmt: skip
                continue
            _change_rule(rule, update.get("match"), update.get("priority"), update.get("action"))
            done.append(rule)
        return done, failed

    # Target groups and targets
    def update_target_group(self, target_group_identifier: str, health_check: dict) -> Any:
        """The given health-check settings replace the current ones key by key; the others stay."""
        target_group = self.get_target_group(target_group_identifier)
        target_group.config["healthCheck"] = {**(target_group.config.get("healthCheck") or {}), **health_check}
        target_group.last_updated_at = _now()
        return target_group

    def delete_target_group(self, target_group_identifier: str) -> Any:
        target_group = self.get_target_group(target_group_identifier)
        users = _rules_forwarding_to(self, target_group)
        _in_use(f"Target group {target_group.id} is used by a listener rule", users, "RULE")
        del self.target_groups[target_group.id]
        _forget(self, target_group)
        target_group.status = "DELETE_IN_PROGRESS"
        return target_group

    def register_targets(self, target_group_identifier: str, targets: list[dict]) -> tuple[list[dict], list[dict]]:
        target_group = self.get_target_group(target_group_identifier)
        registered = _targets_of(target_group)
        done = [_target(target_group, target) for target in targets]
        for target in done:
            registered[(target["id"], target.get("port"))] = target
        return done, []

    def deregister_targets(self, target_group_identifier: str, targets: list[dict]) -> tuple[list[dict], list[dict]]:
        """Deregistered targets are gone at once (AWS drains them first: DRAINING, 5 minutes by default)."""
        target_group = self.get_target_group(target_group_identifier)
        registered = _targets_of(target_group)
        done = [_target(target_group, target) for target in targets]
        for target in done:
            registered.pop((target["id"], target.get("port")), None)
        return done, []

    @paginate(pagination_model=PAGINATION_MODEL)
    def list_targets(self, target_group_identifier: str, targets: list[dict] | None = None) -> list[dict]:
        target_group = self.get_target_group(target_group_identifier)
        wanted = {(entry["id"], entry.get("port")) for entry in (_target(target_group, t) for t in targets or [])}
        status = _target_status(self, target_group)
        return [
            dict(target, status=status)
            for key, target in _targets_of(target_group).items()
            if not wanted or key in wanted
        ]

    # Service network associations
    def create_service_network_vpc_association(self, **kwargs: Any) -> Any:
        """A VPC is associated with one service network at most (AWS: ConflictException)."""
        vpc = kwargs["vpc_identifier"]
        users = [assoc for assoc in self.service_network_vpc_associations.values() if assoc.vpc_id == vpc]
        _in_use(f"VPC {vpc} is already associated with a service network", users, "SERVICE_NETWORK_VPC_ASSOCIATION")
        return _ORIGINAL["create_service_network_vpc_association"](self, **kwargs)

    def get_service_network_vpc_association(self, service_network_vpc_association_identifier: str) -> Any:
        assoc = self.service_network_vpc_associations.get(_local_id(service_network_vpc_association_identifier))
        if not assoc:
            raise ResourceNotFoundException(
                f"Service network VPC association {service_network_vpc_association_identifier} not found"
            )
        return assoc

    def update_service_network_vpc_association(
        self, service_network_vpc_association_identifier: str, security_group_ids: list[str] | None
    ) -> Any:
        assoc = self.get_service_network_vpc_association(service_network_vpc_association_identifier)
        if security_group_ids is not None:  # botocore refuses an empty list (min 1): one group stays
            assoc.security_group_ids = security_group_ids
        assoc.last_updated_at = _now()
        return assoc

    def delete_service_network_vpc_association(self, service_network_vpc_association_identifier: str) -> Any:
        assoc = self.get_service_network_vpc_association(service_network_vpc_association_identifier)
        del self.service_network_vpc_associations[assoc.id]
        _forget(self, assoc)
        assoc.status = "DELETE_IN_PROGRESS"
        return assoc

    def create_service_network_service_association(self, **kwargs: Any) -> Any:
        network = self.get_service_network(kwargs["service_network_identifier"])
        service = self.get_service(kwargs["service_identifier"])
        users = [
            assoc for assoc in self.service_network_service_associations.values()
            if assoc.service_network_id == network.id and assoc.service_id == service.id
        ]  # fmt: skip
        _in_use(f"Service {service.id} is already associated with {network.id}", users,
                "SERVICE_NETWORK_SERVICE_ASSOCIATION")  # fmt: skip
        return _ORIGINAL["create_service_network_service_association"](self, **kwargs)

    def delete_service_network_service_association(self, service_network_service_association_identifier: str) -> Any:
        assoc = self.get_service_network_service_association(service_network_service_association_identifier)
        del self.service_network_service_associations[assoc.id]
        _forget(self, assoc)
        assoc.status = "DELETE_IN_PROGRESS"
        return assoc


class LatticeResponses:
    """Handlers grafted onto moto's VPCLatticeResponse: ``self`` is that response; parameters come parsed."""

    def _page(self, items: list[Any], next_token: str | None) -> str:
        view = [item if isinstance(item, dict) else item.to_dict() for item in items]
        return json.dumps({"items": view, "nextToken": next_token} if next_token else {"items": view})

    def _pagination(self) -> dict[str, Any]:
        return {"max_results": self._get_int_param("maxResults"), "next_token": self._get_param("nextToken")}

    # moto read MaxResults/NextToken, which botocore never sends: no page ever ended early.
    def list_services(self) -> str:
        return self._page(*self.backend.list_services(**self._pagination()))

    def list_service_networks(self) -> str:
        return self._page(*self.backend.list_service_networks(**self._pagination()))

    # moto cut the list at maxResults and answered nextToken "": the rest was unreachable.
    def list_access_log_subscriptions(self) -> str:
        found = self.backend.list_access_log_subscriptions(
            resource_identifier=self._get_param("resourceIdentifier"), **self._pagination()
        )
        return self._page(*found)

    def get_listener(self) -> str:
        listener = self.backend.get_listener(
            self._get_param("serviceIdentifier"), self._get_param("listenerIdentifier")
        )
        return json.dumps(listener.to_dict())

    def update_service_network(self) -> str:
        network = self.backend.update_service_network(
            service_network_identifier=self._get_param("serviceNetworkIdentifier"),
            auth_type=self._get_param("authType"),
        )
        return json.dumps(network.to_dict())

    def delete_service_network(self) -> str:
        self.backend.delete_service_network(service_network_identifier=self._get_param("serviceNetworkIdentifier"))
        return "{}"

    def update_service(self) -> str:
        service = self.backend.update_service(
            service_identifier=self._get_param("serviceIdentifier"),
            auth_type=self._get_param("authType"),
            certificate_arn=self._get_param("certificateArn"),
        )
        return json.dumps(service.to_dict())

    def delete_service(self) -> str:
        service = self.backend.delete_service(service_identifier=self._get_param("serviceIdentifier"))
        return json.dumps({key: service.to_dict()[key] for key in ("id", "arn", "name", "status")})

    def update_listener(self) -> str:
        listener = self.backend.update_listener(
            service_identifier=self._get_param("serviceIdentifier"),
            listener_identifier=self._get_param("listenerIdentifier"),
            default_action=self._get_param("defaultAction"),
        )
        return json.dumps(listener.to_dict())

    def delete_listener(self) -> str:
        self.backend.delete_listener(self._get_param("serviceIdentifier"), self._get_param("listenerIdentifier"))
        return "{}"

    def _rule_path(self) -> dict[str, str]:
        return {
            "service_identifier": self._get_param("serviceIdentifier"),
            "listener_identifier": self._get_param("listenerIdentifier"),
            "rule_identifier": self._get_param("ruleIdentifier"),
        }

    def get_rule(self) -> str:
        return json.dumps(self.backend.get_rule(**self._rule_path()).to_dict())

    def list_rules(self) -> str:
        path = self._rule_path()
        path.pop("rule_identifier")
        return self._page(*self.backend.list_rules(**path, **self._pagination()))

    def update_rule(self) -> str:
        rule = self.backend.update_rule(
            **self._rule_path(),
            match=self._get_param("match"),
            priority=self._get_param("priority"),
            action=self._get_param("action"),
        )
        return json.dumps(rule.to_dict())

    def delete_rule(self) -> str:
        self.backend.delete_rule(**self._rule_path())
        return "{}"

    def batch_update_rule(self) -> str:
        done, failed = self.backend.batch_update_rule(
            service_identifier=self._get_param("serviceIdentifier"),
            listener_identifier=self._get_param("listenerIdentifier"),
            rules=self._get_param("rules"),
        )
        return json.dumps({"successful": [rule.to_dict() for rule in done], "unsuccessful": failed})

    def update_target_group(self) -> str:
        target_group = self.backend.update_target_group(
            target_group_identifier=self._get_param("targetGroupIdentifier"),
            health_check=self._get_param("healthCheck"),
        )
        return json.dumps(target_group.to_dict())

    def delete_target_group(self) -> str:
        target_group = self.backend.delete_target_group(self._get_param("targetGroupIdentifier"))
        return json.dumps({key: target_group.to_dict()[key] for key in ("id", "arn", "status")})

    def register_targets(self) -> str:
        done, failed = self.backend.register_targets(
            target_group_identifier=self._get_param("targetGroupIdentifier"), targets=self._get_param("targets")
        )
        return json.dumps({"successful": done, "unsuccessful": failed})

    def deregister_targets(self) -> str:
        done, failed = self.backend.deregister_targets(
            target_group_identifier=self._get_param("targetGroupIdentifier"), targets=self._get_param("targets")
        )
        return json.dumps({"successful": done, "unsuccessful": failed})

    def list_targets(self) -> str:
        found = self.backend.list_targets(
            target_group_identifier=self._get_param("targetGroupIdentifier"),
            targets=self._get_param("targets"),
            **self._pagination(),
        )
        return self._page(*found)

    def get_service_network_vpc_association(self) -> str:
        assoc = self.backend.get_service_network_vpc_association(
            self._get_param("serviceNetworkVpcAssociationIdentifier")
        )
        return json.dumps(assoc.to_dict())

    def update_service_network_vpc_association(self) -> str:
        assoc = self.backend.update_service_network_vpc_association(
            service_network_vpc_association_identifier=self._get_param("serviceNetworkVpcAssociationIdentifier"),
            security_group_ids=self._get_param("securityGroupIds"),
        )
        return json.dumps(assoc.to_dict())

    def delete_service_network_vpc_association(self) -> str:
        assoc = self.backend.delete_service_network_vpc_association(
            self._get_param("serviceNetworkVpcAssociationIdentifier")
        )
        return json.dumps({key: assoc.to_dict()[key] for key in ("id", "arn", "status")})

    def delete_service_network_service_association(self) -> str:
        assoc = self.backend.delete_service_network_service_association(
            self._get_param("serviceNetworkServiceAssociationIdentifier")
        )
        return json.dumps({"id": assoc.id, "arn": assoc.arn, "status": assoc.status})


def _graft(target: type, source: type, originals: dict[str, Any] | None = None) -> None:
    """Put ``source``'s methods on ``target``; ``originals`` keeps the ones they replace."""
    for name, member in vars(source).items():
        if callable(member) and not name.startswith("__"):
            if originals is not None and hasattr(target, name):
                originals[name] = getattr(target, name)
            setattr(target, name, member)


def _after_init(cls: type, finish: Any) -> None:
    original = cls.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        finish(self)

    cls.__init__ = init


def _extend_to_dict(cls: type, extend: Any) -> None:
    original = cls.to_dict

    def to_dict(self) -> dict[str, Any]:
        return extend(self, original(self))

    cls.to_dict = to_dict


def fix_resource_ids() -> None:
    """Ids are a prefix and 17 lowercase hex digits, as botocore's patterns ask (``svc-[0-9a-z]{17}``).

    moto cut a dashed uuid (``svc-0f1e2d3c-4b5a-697``); its models call ``str(uuid.uuid4())[:17]``.
    """
    models.uuid = types.SimpleNamespace(uuid4=lambda: uuid.uuid4().hex)


def fix_errors() -> None:
    """ResourceNotFoundException is HTTP 404 in AWS (moto: 400); ConflictException (409) joins moto's exceptions."""
    exceptions.ResourceNotFoundException.code = 404
    if not hasattr(exceptions, "ConflictException"):
        exceptions.ConflictException = ConflictException


def _stamp(resource: Any) -> None:
    resource.created_at = resource.last_updated_at = _now()


def _finish_service(service: Any) -> None:
    """authType defaults to NONE; dnsEntry is the generated name even with a custom domain, in AWS's format."""
    _stamp(service)
    service.auth_type = service.auth_type or "NONE"
    region = service.arn.split(":")[3]
    zone = hashlib.sha256(region.encode()).hexdigest()[:7]
    service.dns_entry.domain_name = f"{service.name}-{service.id[4:]}.{zone}.vpc-lattice-svcs.{region}.on.aws"


def _finish_service_network(network: Any) -> None:
    _stamp(network)
    network.auth_type = network.auth_type or "NONE"


def _finish_vpc_association(assoc: Any) -> None:
    assoc.created_by = assoc.arn.split(":")[4]  # the account, not moto's "user"


def _finish_rule(rule: Any) -> None:
    _stamp(rule)
    rule.is_default = False


def _service_view(service: Any, view: dict[str, Any]) -> dict[str, Any]:
    view.update(createdAt=service.created_at, lastUpdatedAt=service.last_updated_at)
    return {key: value for key, value in view.items() if value != ""}  # AWS omits an absent certificate or domain


def _service_network_view(network: Any, view: dict[str, Any]) -> dict[str, Any]:
    backend = _backend_of(network)
    view.update(
        createdAt=network.created_at,
        lastUpdatedAt=network.last_updated_at,
        numberOfAssociatedVPCs=sum(
            assoc.service_network_id == network.id for assoc in backend.service_network_vpc_associations.values()
        ),
        numberOfAssociatedServices=sum(
            assoc.service_network_id == network.id for assoc in backend.service_network_service_associations.values()
        ),
    )
    return view


def _service_association_view(assoc: Any, view: dict[str, Any]) -> dict[str, Any]:
    """Names and ARNs of both ends; dnsEntry and customDomainName are the service's (moto made its own)."""
    backend = _backend_of(assoc)
    service = backend.services.get(assoc.service_id)
    network = backend.service_networks.get(assoc.service_network_id)
    view.pop("customDomainName", None)
    if service:
        view.update(serviceName=service.name, serviceArn=service.arn, dnsEntry=service.dns_entry.to_dict())
        if service.custom_domain_name:
            view["customDomainName"] = service.custom_domain_name
    if network:
        view.update(serviceNetworkName=network.name, serviceNetworkArn=network.arn)
    return view


def _target_group_view(target_group: Any, view: dict[str, Any]) -> dict[str, Any]:
    view["serviceArns"] = _service_arns_of(_backend_of(target_group), target_group)
    return view


def _rule_view(rule: Any, view: dict[str, Any]) -> dict[str, Any]:
    view = {
        "arn": rule.arn, "id": rule.id, "name": rule.name, "isDefault": rule.is_default, "priority": rule.priority,
        "action": rule.action, "match": rule.match, "createdAt": rule.created_at, "lastUpdatedAt": rule.last_updated_at,
    }  # fmt: skip
    return {key: value for key, value in view.items() if value is not None and value != {}}


def fix_models() -> None:
    """The fields botocore's output shapes have and moto left out or got wrong (see each view)."""
    _after_init(models.VPCLatticeService, _finish_service)
    _after_init(models.VPCLatticeServiceNetwork, _finish_service_network)
    _after_init(models.VPCLatticeServiceNetworkVpcAssociation, _finish_vpc_association)
    _after_init(models.VPCLatticeRule, _finish_rule)
    _extend_to_dict(models.VPCLatticeService, _service_view)
    _extend_to_dict(models.VPCLatticeServiceNetwork, _service_network_view)
    _extend_to_dict(models.VPCLatticeServiceNetworkServiceAssociation, _service_association_view)
    _extend_to_dict(models.VPCLatticeTargetGroup, _target_group_view)
    _extend_to_dict(models.VPCLatticeRule, _rule_view)


def add_operations() -> None:
    """The missing operations, on moto's backend and response classes."""
    VPCLatticeBackend.PAGINATION_MODEL.update(PAGINATION_MODEL)
    _graft(VPCLatticeBackend, LatticeBackend, _ORIGINAL)
    _graft(VPCLatticeResponse, LatticeResponses)


def route_operations() -> None:
    """Routes for the added operations, before a server app reads them (in-process mocks read them per request)."""
    for path in URL_PATHS:
        urls.url_paths.setdefault(path, VPCLatticeResponse.dispatch)


STEPS = [fix_resource_ids, fix_errors, fix_models, add_operations, route_operations]


def apply() -> list[str]:
    """Apply every step once; returns the names applied."""
    for step in STEPS:
        if step.__name__ not in _APPLIED:
            step()
            _APPLIED.append(step.__name__)
    return list(_APPLIED)
