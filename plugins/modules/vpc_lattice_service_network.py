#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_service_network
version_added: 0.1.0
short_description: Manage Amazon VPC Lattice service networks
description:
  - Create, update and delete Amazon VPC Lattice service networks, with their auth type, auth policy and tags.
  - A service network is found by its name, which is unique in an account.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  name:
    description:
      - The name of the service network.
      - 3 to 63 lower-case letters, digits and hyphens; it cannot start or end with a hyphen or contain two in a row.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the service network, V(absent) deletes it.
      - AWS deletes a service network only when no VPC, service or resource configuration is associated with it;
        its auth policy goes with it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - A service network has no status of its own; O(wait) waits for a new network to be readable and for a deleted
    one to be gone.
  - Changing O(auth_type) never leaves the network denying every request for lack of a policy. The module puts
    the new policy before it turns V(AWS_IAM) on, and deletes the old one after it turns it off.
extends_documentation_fragment:
  - blueprint.aws.vpc_lattice.auth
  - blueprint.aws.vpc_lattice
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the shop service network exists, open to every client in an associated VPC
  blueprint.aws.vpc_lattice_service_network:
    name: shop
    tags:
      blueprint:stack: shop

- name: Ensure the shop service network admits only principals of this account
  blueprint.aws.vpc_lattice_service_network:
    name: shop
    auth_type: AWS_IAM
    auth_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: vpc-lattice-svcs:Invoke
          Resource: "*"
          Condition:
            StringEquals:
              aws:PrincipalAccount: "123456789012"
  register: shop_network

- name: Ensure the shop service network is gone
  blueprint.aws.vpc_lattice_service_network:
    name: shop
    state: absent
"""

RETURN = r"""
service_network:
  description: The service network as it is after the task (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    arn:
      description: The ARN of the service network. Missing for a network a check-mode run would create.
      returned: success
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:servicenetwork/sn-0123456789abcdef0
    id:
      description: The ID of the service network. Missing for a network a check-mode run would create.
      returned: success
      type: str
      sample: sn-0123456789abcdef0
    name:
      description: The name of the service network.
      returned: always
      type: str
      sample: shop
    auth_type:
      description: How requests are authenticated.
      returned: always
      type: str
      sample: AWS_IAM
    auth_policy:
      description: The auth policy document, or null when the network has none.
      returned: always
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
    tags:
      description: The tags of the service network.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
    created_at:
      description: When the service network was created (ISO 8601).
      returned: when the network exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    last_updated_at:
      description: When the service network was last updated (ISO 8601).
      returned: when the network exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    number_of_associated_vpcs:
      description: How many VPCs are associated with the service network.
      returned: when the network exists
      type: int
      sample: 2
    number_of_associated_services:
      description: How many services are associated with the service network.
      returned: when the network exists
      type: int
      sample: 1
    sharing_config:
      description: The network's sharing settings.
      returned: when the network exists
      type: dict
      contains:
        enabled:
          description: Whether the service network can be shared through AWS RAM.
          returned: when AWS reports it
          type: bool
          sample: true
"""

from copy import deepcopy
from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import changes
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import create_service_network
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_and_wait
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_service_network
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import describe_service_network
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import diff
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_auth_policy
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_service_network
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import lifecycle_argument_spec
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import load_policy
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import service_network_details
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import update_service_network
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import wait_for_status

# What --diff shows: the settings this module manages.
DIFF_KEYS = ("name", "auth_type", "auth_policy", "tags")


def create(client, module: AnsibleAWSModule, auth_type: str) -> Dict[str, Any]:
    """Create the network with its tags; return it as the module reports it (predicted in check mode)."""
    params = module.params
    tags = {key: str(value) for key, value in (params["tags"] or {}).items()}  # AWS keeps tag values as strings
    network = {"name": params["name"], "auth_type": auth_type, "auth_policy": None, "tags": tags}
    if module.check_mode:
        return network
    created = create_service_network(client, params["name"], auth_type, tags)
    if params["wait"]:
        wait_for_status(
            lambda: get_service_network(client, created["arn"]),
            statuses=None,
            timeout=params["wait_timeout"],
            description="service network",
        )
    network.update(id=created["id"], arn=created["arn"])
    return network


def ensure_present(
    client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]], policy: Optional[Dict[str, Any]]
) -> Tuple[bool, Dict[str, Any]]:
    """Create or update the network; returns (changed, the network as it is now)."""
    params = module.params
    auth_type = params["auth_type"]
    check_mode = module.check_mode

    changed = current is None
    network = create(client, module, auth_type) if current is None else deepcopy(current)
    arn = network.get("arn")

    def ensure_auth_type() -> bool:
        updates = changes(network, {"auth_type": auth_type})
        if updates and not check_mode:
            update_service_network(client, arn, auth_type)
        network.update(updates)
        return bool(updates)

    def ensure_policy() -> bool:
        policy_changed, network["auth_policy"] = ensure_auth_policy(
            client, arn, network["auth_policy"], policy, purge=auth_type == "NONE", check_mode=check_mode
        )
        return policy_changed

    # Never leave AWS_IAM without its policy (that denies every request): put the policy before
    # turning AWS_IAM on, and delete it only after turning AWS_IAM off.
    steps = (ensure_policy, ensure_auth_type) if auth_type == "AWS_IAM" else (ensure_auth_type, ensure_policy)
    for step in steps:
        changed |= step()

    tags_changed, network["tags"] = ensure_tags(
        client, arn, network["tags"], params["tags"], params["purge_tags"], check_mode
    )
    changed |= tags_changed

    if changed and not check_mode:
        # Report what AWS has now (timestamps, counts), unless it is not readable yet (wait=false).
        fresh = get_service_network(client, arn)
        if fresh is not None:
            network = service_network_details(client, fresh)
    return changed, network


def ensure_absent(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> bool:
    """Delete the network (AWS deletes its auth policy with it) and wait until it is gone; returns changed."""
    return delete_and_wait(
        module,
        current,
        lambda: delete_service_network(client, current["arn"]),
        lambda: get_service_network(client, current["arn"]),
        "service network",
    )


def main():
    argument_spec = lifecycle_argument_spec(
        name=dict(type="str", required=True),
        auth_type=dict(type="str", default="NONE", choices=["NONE", "AWS_IAM"]),
        auth_policy=dict(type="json"),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    # Refuse a bad policy before the first API call.
    if module.params["auth_policy"] is not None and module.params["auth_type"] != "AWS_IAM":
        module.fail_json(
            msg="auth_policy requires auth_type=AWS_IAM: with auth_type=NONE, AWS keeps the policy inactive"
        )
    try:
        policy = load_policy(module.params["auth_policy"], "auth_policy")
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    client = module.client("vpc-lattice")
    try:
        current = describe_service_network(client, module.params["name"])
        if module.params["state"] == "present":
            changed, network = ensure_present(client, module, current, policy)
        else:
            changed, network = ensure_absent(client, module, current), None
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed}
    if network is not None:
        result["service_network"] = network
    if module._diff:
        result["diff"] = diff(current, network, DIFF_KEYS)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
