#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_service_network_service_association
version_added: 0.1.0
short_description: Associate a service with an Amazon VPC Lattice service network
description:
  - Create and delete the association between a VPC Lattice service and a service network, and manage its tags.
    Clients in the VPCs associated with the service network can then reach the service.
  - The association is found by listing the associations filtered by O(service_network) and O(service).
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
  service:
    description:
      - The service, by name, ID (C(svc-...)) or ARN.
      - An unknown service fails the task before anything changes (O(state=present)); with
        O(state=absent) there is then nothing to delete.
    type: str
    required: true
  state:
    description:
      - V(present) creates the association (or updates its tags), V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - An association has no settings to change besides its tags.
  - O(wait) waits for a new association to be C(ACTIVE), and for a deleted one to be gone.
extends_documentation_fragment:
  - blueprint.aws.vpc_lattice
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the users service is reachable through the shop service network
  blueprint.aws.vpc_lattice_service_network_service_association:
    service_network: shop
    service: users
    tags:
      blueprint:stack: shop
  register: users_in_shop

- name: Ensure the users service is no longer in the shop service network
  blueprint.aws.vpc_lattice_service_network_service_association:
    service_network: arn:aws:vpc-lattice:ap-northeast-2:123456789012:servicenetwork/sn-0123456789abcdef0
    service: svc-0123456789abcdef0
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
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:servicenetworkserviceassociation/snsa-0123456789abcdef0
    id:
      description: The ID of the association. Missing for an association a check-mode run would create.
      returned: success
      type: str
      sample: snsa-0123456789abcdef0
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
    service_id:
      description: The ID of the service.
      returned: always
      type: str
      sample: svc-0123456789abcdef0
    service_name:
      description: The name of the service.
      returned: always
      type: str
      sample: users
    service_arn:
      description: The ARN of the service.
      returned: always
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:service/svc-0123456789abcdef0
    dns_entry:
      description: The DNS name of the service, which clients in the service network's VPCs resolve.
      returned: when AWS reports it (a check-mode run predicts the service's)
      type: dict
      contains:
        domain_name:
          description: The domain name.
          returned: always
          type: str
          sample: users-0123456789abcdef0.7d67968.vpc-lattice-svcs.ap-northeast-2.on.aws
        hosted_zone_id:
          description: The ID of the hosted zone that holds it.
          returned: always
          type: str
          sample: Z03139102N5QK9YWSOR1Q
    custom_domain_name:
      description: The custom domain name of the service, when it has one.
      returned: when AWS reports it
      type: str
      sample: users.shop.example.com
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
    failure_code:
      description: Why the association failed, when it did.
      returned: when AWS reports it
      type: str
    failure_message:
      description: AWS's explanation of a failure.
      returned: when AWS reports it
      type: str
"""

from copy import deepcopy
from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import (
    create_service_network_service_association,
)
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import (
    delete_service_network_service_association,
)
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_and_wait
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import diff
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import find_service_network_service_association
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_service_network_service_association
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import lifecycle_argument_spec
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import list_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import resolve_service
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import resolve_service_network
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import to_ansible
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import wait_for_status

# What --diff shows: the settings this module manages.
DIFF_KEYS = ("service_network_id", "service_id", "tags")


def details(client, association: Dict[str, Any]) -> Dict[str, Any]:
    """An association (GetServiceNetworkServiceAssociation's answer) as the module returns it."""
    return to_ansible(association, list_tags(client, association["arn"]))


def predict(network: Dict[str, Any], service: Dict[str, Any], tags: Dict[str, str]) -> Dict[str, Any]:
    """The association a create would make: both ends, the service's DNS entry, the tags."""
    predicted = {
        "service_network_id": network["id"],
        "service_network_name": network["name"],
        "service_network_arn": network["arn"],
        "service_id": service["id"],
        "service_name": service["name"],
        "service_arn": service["arn"],
        "tags": tags,
    }
    service_view = to_ansible(service)
    if service_view.get("dns_entry"):
        predicted["dns_entry"] = service_view["dns_entry"]
    if service_view.get("custom_domain_name"):
        predicted["custom_domain_name"] = service_view["custom_domain_name"]
    return predicted


def ensure_present(
    client,
    module: AnsibleAWSModule,
    network: Dict[str, Any],
    service: Dict[str, Any],
    current: Optional[Dict[str, Any]],
) -> Tuple[bool, Dict[str, Any]]:
    """Create the association or update its tags; returns (changed, the association as it is now)."""
    params = module.params
    check_mode = module.check_mode

    if current is None:
        tags = {key: str(value) for key, value in (params["tags"] or {}).items()}  # AWS keeps tag values as strings
        predicted = predict(network, service, tags)
        if check_mode:
            return True, predicted
        created = create_service_network_service_association(client, network["id"], service["id"], tags)
        if params["wait"]:
            fresh = wait_for_status(
                lambda: get_service_network_service_association(client, created["id"]),
                timeout=params["wait_timeout"],
                description="service network service association",
            )
        else:
            fresh = get_service_network_service_association(client, created["id"])
        if fresh is None:
            predicted.update(id=created["id"], arn=created["arn"], status=created.get("status"))
            return True, predicted
        return True, details(client, fresh)

    association = deepcopy(current)
    changed, association["tags"] = ensure_tags(
        client, association["arn"], association["tags"], params["tags"], params["purge_tags"], check_mode
    )
    return changed, association


def ensure_absent(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> bool:
    """Delete the association and wait until it is gone; returns changed."""
    return delete_and_wait(
        module,
        current,
        lambda: delete_service_network_service_association(client, current["id"]),
        lambda: get_service_network_service_association(client, current["id"]),
        "service network service association",
    )


def main():
    argument_spec = lifecycle_argument_spec(
        service_network=dict(type="str", required=True),
        service=dict(type="str", required=True),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    present = params["state"] == "present"

    client = module.client("vpc-lattice")
    current = association = None
    try:
        # Both ends are looked up before any write, so an unknown one fails the task with nothing changed.
        network = resolve_service_network(client, params["service_network"])
        if network is None and present:
            module.fail_json(msg=f"service_network '{params['service_network']}' was not found")
        service = resolve_service(client, params["service"])
        if service is None and present:
            module.fail_json(msg=f"service '{params['service']}' was not found")
        if network is not None and service is not None:
            found = find_service_network_service_association(client, network["id"], service["id"])
            current = None if found is None else details(client, found)
        if present:
            changed, association = ensure_present(client, module, network, service, current)
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
