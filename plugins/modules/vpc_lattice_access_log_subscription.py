#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_access_log_subscription
version_added: 0.1.0
short_description: Send the access logs of an Amazon VPC Lattice service network or service to a destination
description:
  - Create, update and delete the access log subscription of a VPC Lattice service network or service, with its tags.
  - AWS allows one subscription per kind of destination (CloudWatch Logs, S3, Firehose) on a resource, so the
    subscription is found by O(resource) and the kind of O(destination).
  - A new destination of the same kind is changed in place (C(UpdateAccessLogSubscription)). A destination of another
    kind is another subscription. To move the logs from one kind to another, add the new subscription and remove
    the old one (O(state=absent) with the old destination).
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  resource:
    description:
      - The service network or service whose access is logged, by name, ID (C(sn-...), C(svc-...)) or ARN.
      - The module works out which kind it is. A name carried by both a service network and a service fails the task,
        which then needs the ID or ARN.
      - An unknown resource fails the task before anything changes (O(state=present)); with O(state=absent) there
        is then nothing to delete.
    type: str
    required: true
  destination:
    description:
      - The ARN of the destination, checked before any call.
      - A CloudWatch Logs log group (C(arn:aws:logs:REGION:ACCOUNT:log-group:NAME), with or without a trailing C(:*),
        which is the same log group), an S3 bucket (C(arn:aws:s3:::BUCKET)) or a Kinesis Data Firehose delivery stream
        (C(arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME)).
      - With O(state=absent), the subscription of this kind of destination is deleted.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the subscription, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Access log subscriptions have no status; O(wait) waits for a deleted subscription to be gone.
  - Subscriptions of a service network log its services' traffic (log type C(SERVICE)).
extends_documentation_fragment:
  - blueprint.aws.vpc_lattice
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the shop service network logs its access to CloudWatch Logs
  blueprint.aws.vpc_lattice_access_log_subscription:
    resource: shop
    destination: arn:aws:logs:ap-northeast-2:123456789012:log-group:/lattice/shop
    tags:
      blueprint:stack: shop
  register: shop_access_logs

- name: Ensure the users service also keeps its access logs in S3
  blueprint.aws.vpc_lattice_access_log_subscription:
    resource: svc-0123456789abcdef0
    destination: arn:aws:s3:::shop-lattice-logs

- name: Ensure the shop service network no longer logs to CloudWatch Logs
  blueprint.aws.vpc_lattice_access_log_subscription:
    resource: shop
    destination: arn:aws:logs:ap-northeast-2:123456789012:log-group:/lattice/shop
    state: absent
"""

RETURN = r"""
access_log_subscription:
  description: The subscription as it is after the task (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    arn:
      description: The ARN of the subscription. Missing for a subscription a check-mode run would create.
      returned: success
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:accesslogsubscription/als-0123456789abcdef0
    id:
      description: The ID of the subscription. Missing for a subscription a check-mode run would create.
      returned: success
      type: str
      sample: als-0123456789abcdef0
    resource_id:
      description: The ID of the service network or service.
      returned: always
      type: str
      sample: sn-0123456789abcdef0
    resource_arn:
      description: The ARN of the service network or service.
      returned: always
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:servicenetwork/sn-0123456789abcdef0
    resource_type:
      description: Which kind of resource O(resource) is.
      returned: always
      type: str
      sample: service_network
    destination_arn:
      description: The ARN of the destination.
      returned: always
      type: str
      sample: arn:aws:logs:ap-northeast-2:123456789012:log-group:/lattice/shop
    destination_type:
      description: The kind of destination.
      returned: always
      type: str
      sample: logs
    service_network_log_type:
      description: The log type of a service network's subscription.
      returned: when AWS reports it
      type: str
      sample: SERVICE
    tags:
      description: The tags of the subscription.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
    created_at:
      description: When the subscription was created (ISO 8601).
      returned: when the subscription exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    last_updated_at:
      description: When the subscription was last updated (ISO 8601).
      returned: when the subscription exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
"""

from copy import deepcopy
from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import access_log_destination_type
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import create_access_log_subscription
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_access_log_subscription
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_and_wait
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import diff
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import find_access_log_subscription
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_access_log_subscription
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import lifecycle_argument_spec
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import list_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import resolve_access_log_resource
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import same_access_log_destination
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import to_ansible
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import update_access_log_subscription

# What --diff shows: the settings this module manages.
DIFF_KEYS = ("resource_id", "destination_arn", "tags")


def details(client, subscription: Dict[str, Any], resource_type: str) -> Dict[str, Any]:
    """A subscription (GetAccessLogSubscription's answer) as the module returns it."""
    result = to_ansible(subscription, list_tags(client, subscription["arn"]))
    result["resource_type"] = resource_type
    try:
        result["destination_type"] = access_log_destination_type(result["destination_arn"])
    except AnsibleVpcLatticeError:  # an ARN AWS took that our check would not: keep its service part
        result["destination_type"] = result["destination_arn"].split(":")[2]
    return result


def ensure_present(
    client,
    module: AnsibleAWSModule,
    resource_type: str,
    resource: Dict[str, Any],
    current: Optional[Dict[str, Any]],
) -> Tuple[bool, Dict[str, Any]]:
    """Create or update the subscription; returns (changed, the subscription as it is now)."""
    params = module.params
    check_mode = module.check_mode
    destination = params["destination"]

    if current is None:
        tags = {key: str(value) for key, value in (params["tags"] or {}).items()}
        predicted = {
            "resource_id": resource["id"],
            "resource_arn": resource["arn"],
            "resource_type": resource_type,
            "destination_arn": destination,
            "destination_type": access_log_destination_type(destination),
            "tags": tags,
        }
        if check_mode:
            return True, predicted
        created = create_access_log_subscription(client, resource["id"], destination, tags)
        fresh = get_access_log_subscription(client, created["id"])
        if fresh is None:
            predicted.update(id=created["id"], arn=created["arn"])
            return True, predicted
        return True, details(client, fresh, resource_type)

    subscription = deepcopy(current)
    changed = False
    if not same_access_log_destination(subscription["destination_arn"], destination):
        changed = True
        if not check_mode:
            update_access_log_subscription(client, subscription["id"], destination)
        subscription["destination_arn"] = destination

    tags_changed, subscription["tags"] = ensure_tags(
        client, subscription["arn"], subscription["tags"], params["tags"], params["purge_tags"], check_mode
    )
    changed |= tags_changed

    if changed and not check_mode:
        fresh = get_access_log_subscription(client, subscription["id"])
        if fresh is not None:
            subscription = details(client, fresh, resource_type)
    return changed, subscription


def ensure_absent(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> bool:
    """Delete the subscription and wait until it is gone; returns changed."""
    return delete_and_wait(
        module,
        current,
        lambda: delete_access_log_subscription(client, current["id"]),
        lambda: get_access_log_subscription(client, current["id"]),
        "access log subscription",
    )


def main():
    argument_spec = lifecycle_argument_spec(
        resource=dict(type="str", required=True),
        destination=dict(type="str", required=True),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        destination_type = access_log_destination_type(params["destination"], "destination")
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    client = module.client("vpc-lattice")
    current = subscription = None
    try:
        resource_type, resource = resolve_access_log_resource(client, params["resource"])
        if resource is None and params["state"] == "present":
            module.fail_json(msg=f"resource '{params['resource']}' is neither a service network nor a service")
        if resource is not None:
            found = find_access_log_subscription(client, resource["id"], destination_type)
            current = None if found is None else details(client, found, resource_type)
        if params["state"] == "present":
            changed, subscription = ensure_present(client, module, resource_type, resource, current)
        else:
            changed = ensure_absent(client, module, current)
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed}
    if subscription is not None:
        result["access_log_subscription"] = subscription
    if module._diff:
        result["diff"] = diff(current, subscription, DIFF_KEYS)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
