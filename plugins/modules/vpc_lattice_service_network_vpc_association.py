#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_service_network_vpc_association
version_added: 0.1.0
short_description: Associate a VPC with an Amazon VPC Lattice service network
description:
  - Create, update and delete the association between a VPC and a VPC Lattice service network, with its
    security groups and tags.
  - The association is found by listing the associations of O(service_network) filtered by O(vpc_id).
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  service_network:
    description:
      - The service network, by name, ID (C(sn-...)) or ARN.
      - An unknown service network fails the task before anything changes (O(state=present)); with
        O(state=absent) there is then nothing to delete.
    type: str
    required: true
  vpc_id:
    description:
      - The ID of the VPC (C(vpc-...)).
      - AWS lets a VPC join one service network only.
    type: str
    required: true
  security_group_ids:
    description:
      - The IDs of the security groups (at most five) that control which resources of the VPC reach the service network.
      - If not set, the association's security groups are left as they are (none, for a new association).
      - Changed in place. AWS cannot take every security group away from an association that has some;
        the module refuses V([]) then. To drop them all, delete the association (O(state=absent)) and create it again
        without O(security_group_ids).
    type: list
    elements: str
  state:
    description:
      - V(present) creates or updates the association, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - O(wait) waits for the association to be C(ACTIVE) after a create or update, and for it to be gone after a delete.
extends_documentation_fragment:
  - blueprint.aws.vpc_lattice
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the app VPC is a client of the shop service network, through its Lattice security group
  blueprint.aws.vpc_lattice_service_network_vpc_association:
    service_network: shop
    vpc_id: vpc-0123456789abcdef0
    security_group_ids:
      - sg-0123456789abcdef0
    tags:
      blueprint:stack: shop
  register: shop_vpc_association

- name: Ensure the app VPC is no longer associated with the shop service network
  blueprint.aws.vpc_lattice_service_network_vpc_association:
    service_network: shop
    vpc_id: vpc-0123456789abcdef0
    state: absent
"""

RETURN = r"""
association:
  description: The association as it is after the task (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    arn:
      description: The ARN of the association. Missing for an association a check-mode run would create.
      returned: success
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:servicenetworkvpcassociation/snva-0123456789abcdef0
    id:
      description: The ID of the association. Missing for an association a check-mode run would create.
      returned: success
      type: str
      sample: snva-0123456789abcdef0
    status:
      description: The status of the association.
      returned: when the association exists
      type: str
      sample: ACTIVE
    service_network_id:
      description: The ID of the service network.
      returned: always
      type: str
      sample: sn-0123456789abcdef0
    service_network_name:
      description: The name of the service network.
      returned: always
      type: str
      sample: shop
    service_network_arn:
      description: The ARN of the service network.
      returned: always
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:servicenetwork/sn-0123456789abcdef0
    vpc_id:
      description: The ID of the VPC.
      returned: always
      type: str
      sample: vpc-0123456789abcdef0
    security_group_ids:
      description: The IDs of the association's security groups, sorted.
      returned: always
      type: list
      elements: str
      sample: ["sg-0123456789abcdef0"]
    tags:
      description: The tags of the association.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
    created_by:
      description: The account that created the association.
      returned: when the association exists
      type: str
      sample: "123456789012"
    created_at:
      description: When the association was created (ISO 8601).
      returned: when the association exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    last_updated_at:
      description: When the association was last updated (ISO 8601).
      returned: when the association exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    private_dns_enabled:
      description: Whether private DNS is enabled for the association.
      returned: when AWS reports it
      type: bool
      sample: true
    failure_code:
      description: Why the association failed, when it did.
      returned: when AWS reports it
      type: str
    failure_message:
      description: AWS's explanation of a failure.
      returned: when AWS reports it
      type: str
"""

import re
from copy import deepcopy
from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import create_service_network_vpc_association
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_service_network_vpc_association
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_and_wait
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import diff
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import find_service_network_vpc_association
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_service_network_vpc_association
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import lifecycle_argument_spec
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import list_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import resolve_service_network
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import to_ansible
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import update_service_network_vpc_association
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import wait_for_status

# What --diff shows: the settings this module manages.
DIFF_KEYS = ("service_network_id", "vpc_id", "security_group_ids", "tags")

VPC_ID = re.compile(r"^vpc-([0-9a-z]{8}|[0-9a-z]{17})$")
SECURITY_GROUP_ID = re.compile(r"^sg-([0-9a-z]{8}|[0-9a-z]{17})$")


def details(client, association: Dict[str, Any]) -> Dict[str, Any]:
    """An association (GetServiceNetworkVpcAssociation's answer) as the module returns it."""
    result = to_ansible(association, list_tags(client, association["arn"]))
    result["security_group_ids"] = sorted(result.get("security_group_ids") or [])
    return result


def validate(params: Dict[str, Any]) -> None:
    """Refuse bad input before the first API call, naming the option."""
    if not VPC_ID.match(params["vpc_id"]):
        raise AnsibleVpcLatticeError(message=f"vpc_id must be a VPC ID (vpc-...), not {params['vpc_id']!r}")
    groups = params["security_group_ids"]
    if groups is None:
        return
    bad = [group for group in groups if not SECURITY_GROUP_ID.match(group)]
    if bad:
        raise AnsibleVpcLatticeError(message=f"security_group_ids must be security group IDs (sg-...), not {bad}")
    if len(set(groups)) > 5:
        raise AnsibleVpcLatticeError(message="security_group_ids takes at most 5 security groups")


def desired_groups(current: Optional[Dict[str, Any]], wanted: Optional[list]) -> Optional[list]:
    """The groups to set (sorted), or None when they need no change; raises when AWS cannot make the change."""
    if wanted is None:
        return None
    wanted = sorted(set(wanted))
    have = (current or {}).get("security_group_ids") or []
    if wanted == have:
        return None
    if not wanted and current is not None:
        raise AnsibleVpcLatticeError(
            message=(
                f"security_group_ids: AWS cannot remove every security group ({', '.join(have)}) from the association"
                f" {current['id']}; delete it (state=absent) and create it again without security_group_ids"
            )
        )
    return wanted


def wait_active(client, module: AnsibleAWSModule, identifier: str) -> Dict[str, Any]:
    return wait_for_status(
        lambda: get_service_network_vpc_association(client, identifier),
        timeout=module.params["wait_timeout"],
        description="service network VPC association",
    )


def ensure_present(
    client, module: AnsibleAWSModule, network: Dict[str, Any], current: Optional[Dict[str, Any]]
) -> Tuple[bool, Dict[str, Any]]:
    """Create or update the association; returns (changed, the association as it is now)."""
    params = module.params
    check_mode = module.check_mode
    groups = desired_groups(current, params["security_group_ids"])

    if current is None:
        tags = {key: str(value) for key, value in (params["tags"] or {}).items()}
        predicted = {
            "service_network_id": network["id"],
            "service_network_name": network["name"],
            "service_network_arn": network["arn"],
            "vpc_id": params["vpc_id"],
            "security_group_ids": groups or [],
            "tags": tags,
        }
        if check_mode:
            return True, predicted
        created = create_service_network_vpc_association(client, network["id"], params["vpc_id"], groups, tags)
        fresh = wait_active(client, module, created["id"]) if params["wait"] else None
        fresh = fresh or get_service_network_vpc_association(client, created["id"])
        if fresh is None:
            predicted.update(id=created["id"], arn=created["arn"], status=created.get("status"))
            return True, predicted
        return True, details(client, fresh)

    association = deepcopy(current)
    changed = False
    if groups is not None:
        changed = True
        if not check_mode:
            update_service_network_vpc_association(client, association["id"], groups)
        association["security_group_ids"] = groups

    tags_changed, association["tags"] = ensure_tags(
        client, association["arn"], association["tags"], params["tags"], params["purge_tags"], check_mode
    )
    changed |= tags_changed

    if changed and not check_mode:
        fresh = wait_active(client, module, association["id"]) if params["wait"] and groups is not None else None
        fresh = fresh or get_service_network_vpc_association(client, association["id"])
        if fresh is not None:
            association = details(client, fresh)
    return changed, association


def ensure_absent(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> bool:
    """Delete the association and wait until it is gone; returns changed."""
    return delete_and_wait(
        module,
        current,
        lambda: delete_service_network_vpc_association(client, current["id"]),
        lambda: get_service_network_vpc_association(client, current["id"]),
        "service network VPC association",
    )


def main():
    argument_spec = lifecycle_argument_spec(
        service_network=dict(type="str", required=True),
        vpc_id=dict(type="str", required=True),
        security_group_ids=dict(type="list", elements="str"),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        validate(params)
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    client = module.client("vpc-lattice")
    current = association = None
    try:
        network = resolve_service_network(client, params["service_network"])
        if network is None and params["state"] == "present":
            module.fail_json(msg=f"service_network '{params['service_network']}' was not found")
        if network is not None:
            found = find_service_network_vpc_association(client, network["id"], params["vpc_id"])
            current = None if found is None else details(client, found)
        if params["state"] == "present":
            changed, association = ensure_present(client, module, network, current)
        else:
            changed = ensure_absent(client, module, current)
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed}
    if association is not None:
        result["association"] = association
    if module._diff:
        result["diff"] = diff(current, association, DIFF_KEYS)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
