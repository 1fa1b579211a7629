#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_service
version_added: 0.1.0
short_description: Manage Amazon VPC Lattice services
description:
  - Create, update and delete Amazon VPC Lattice services, with their auth type, auth policy, custom domain name,
    certificate and tags.
  - A service is found by its name, which is unique in an account.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  name:
    description:
      - The name of the service.
      - 3 to 40 lower-case letters, digits and hyphens; it cannot start with C(svc-), start or end with a hyphen,
        or contain two hyphens in a row.
    type: str
    required: true
  custom_domain_name:
    description:
      - A custom domain name for the service, besides the DNS name AWS generates.
      - Set at creation only. AWS cannot change the custom domain name of an existing service, so a different value
        fails the task before anything changes; delete the service (O(state=absent)) and create it again.
      - If not set, the current custom domain name (or its absence) is left as it is.
    type: str
  certificate_arn:
    description:
      - The ARN of the ACM certificate that serves HTTPS for O(custom_domain_name).
      - Changed in place. If not set, the current certificate is left as it is.
    type: str
  state:
    description:
      - V(present) creates or updates the service, V(absent) deletes it.
      - AWS deletes a service only when no service network is associated with it; its listeners, rules,
        access log subscriptions and auth policy go with it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - O(wait) waits for a new or updated service to be C(ACTIVE), and for a deleted one to be gone.
  - Changing O(auth_type) never leaves the service denying every request for lack of a policy. The module puts
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

- name: Ensure the users service exists, open to every client of its service networks
  blueprint.aws.vpc_lattice_service:
    name: users
    tags:
      blueprint:stack: shop
  register: users_service

- name: Ensure the users service answers on its own domain and admits only principals of this account
  blueprint.aws.vpc_lattice_service:
    name: users
    custom_domain_name: users.shop.example.com
    certificate_arn: arn:aws:acm:ap-northeast-2:123456789012:certificate/0123abcd-4567-89ef-0123-456789abcdef
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

- name: Ensure the users service is gone
  blueprint.aws.vpc_lattice_service:
    name: users
    state: absent
"""

RETURN = r"""
service:
  description: The service as it is after the task (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    arn:
      description: The ARN of the service. Missing for a service a check-mode run would create.
      returned: success
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:service/svc-0123456789abcdef0
    id:
      description: The ID of the service. Missing for a service a check-mode run would create.
      returned: success
      type: str
      sample: svc-0123456789abcdef0
    name:
      description: The name of the service.
      returned: always
      type: str
      sample: users
    status:
      description: The status of the service.
      returned: when the service exists
      type: str
      sample: ACTIVE
    auth_type:
      description: How requests are authenticated.
      returned: always
      type: str
      sample: AWS_IAM
    auth_policy:
      description: The auth policy document, or null when the service has none.
      returned: always
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
    custom_domain_name:
      description: The custom domain name of the service, or null.
      returned: always
      type: str
      sample: users.shop.example.com
    certificate_arn:
      description: The ARN of the service's certificate, or null.
      returned: always
      type: str
      sample: arn:aws:acm:ap-northeast-2:123456789012:certificate/0123abcd-4567-89ef-0123-456789abcdef
    dns_entry:
      description: The DNS name AWS generated for the service, which clients in associated VPCs resolve.
      returned: when the service exists
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
    tags:
      description: The tags of the service.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
    created_at:
      description: When the service was created (ISO 8601).
      returned: when the service exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    last_updated_at:
      description: When the service was last updated (ISO 8601).
      returned: when the service exists
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    idle_timeout_seconds:
      description: How long an idle connection stays open.
      returned: when AWS reports it
      type: int
      sample: 60
    failure_code:
      description: Why the service failed, when it did.
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
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import changes
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import create_service
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_and_wait
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import delete_service
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import describe_service
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import diff
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_auth_policy
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import ensure_tags
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_service
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import lifecycle_argument_spec
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import load_policy
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import service_details
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import update_service
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import wait_for_status

# What --diff shows: the settings this module manages.
DIFF_KEYS = ("name", "auth_type", "auth_policy", "custom_domain_name", "certificate_arn", "tags")

SERVICE_NAME = re.compile(r"^(?!svc-)(?!-)(?!.*-$)(?!.*--)[a-z0-9-]{3,40}$")
CERTIFICATE_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-z-]+$")
DOMAIN_NAME = re.compile(r"^(?=.{3,255}$)([a-z0-9*]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$", re.IGNORECASE)


def validate(params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """Refuse bad input before the first API call, naming the option; returns the auth policy document."""
    if not SERVICE_NAME.match(params["name"]):
        raise AnsibleVpcLatticeError(
            message=(
                f"name must be 3 to 40 lower-case letters, digits and hyphens, not start with 'svc-', start or end"
                f" with a hyphen or hold two in a row: {params['name']!r}"
            )
        )
    if params["custom_domain_name"] is not None and not DOMAIN_NAME.match(params["custom_domain_name"]):
        raise AnsibleVpcLatticeError(
            message=f"custom_domain_name must be a domain name, not {params['custom_domain_name']!r}"
        )
    if params["certificate_arn"] is not None and not CERTIFICATE_ARN.match(params["certificate_arn"]):
        raise AnsibleVpcLatticeError(
            message=(
                "certificate_arn must be the ARN of an ACM certificate"
                f" (arn:aws:acm:REGION:ACCOUNT:certificate/ID), not {params['certificate_arn']!r}"
            )
        )
    if params["auth_policy"] is not None and params["auth_type"] != "AWS_IAM":
        raise AnsibleVpcLatticeError(
            message="auth_policy requires auth_type=AWS_IAM: with auth_type=NONE, AWS keeps the policy inactive"
        )
    return load_policy(params["auth_policy"], "auth_policy")


def check_replacement(current: Optional[Dict[str, Any]], params: Dict[str, Any]) -> None:
    """Refuse, before any write, a change AWS can only make by replacing the service."""
    wanted = params["custom_domain_name"]
    if current is None or wanted is None:
        return
    have = current.get("custom_domain_name")
    if (have or "").lower() != wanted.lower():
        raise AnsibleVpcLatticeError(
            message=(
                f"custom_domain_name cannot change from {have!r} to {wanted!r}: AWS sets it only when it creates the"
                f" service {current['id']}. Delete the service (state=absent) and create it again."
            )
        )


def wait_active(client, module: AnsibleAWSModule, identifier: str) -> Dict[str, Any]:
    return wait_for_status(
        lambda: get_service(client, identifier),
        timeout=module.params["wait_timeout"],
        description="service",
    )


def create(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    """Create the service with its tags; return it as the module reports it (predicted in check mode)."""
    params = module.params
    tags = {key: str(value) for key, value in (params["tags"] or {}).items()}  # AWS keeps tag values as strings
    service = {
        "name": params["name"],
        "auth_type": params["auth_type"],
        "auth_policy": None,
        "custom_domain_name": params["custom_domain_name"],
        "certificate_arn": params["certificate_arn"],
        "tags": tags,
    }
    if module.check_mode:
        return service
    created = create_service(
        client, params["name"], params["auth_type"], params["custom_domain_name"], params["certificate_arn"], tags
    )
    if params["wait"]:
        wait_active(client, module, created["arn"])
    service.update(id=created["id"], arn=created["arn"])
    return service


def ensure_present(
    client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]], policy: Optional[Dict[str, Any]]
) -> Tuple[bool, Dict[str, Any]]:
    """Create or update the service; returns (changed, the service as it is now)."""
    params = module.params
    auth_type = params["auth_type"]
    check_mode = module.check_mode
    check_replacement(current, params)

    changed = current is None
    service = create(client, module) if current is None else deepcopy(current)
    arn = service.get("arn")

    def ensure_settings() -> bool:
        updates = changes(service, {"auth_type": auth_type, "certificate_arn": params["certificate_arn"]})
        if updates and not check_mode:
            update_service(client, arn, updates.get("auth_type"), updates.get("certificate_arn"))
        service.update(updates)
        return bool(updates)

    def ensure_policy() -> bool:
        policy_changed, service["auth_policy"] = ensure_auth_policy(
            client, arn, service["auth_policy"], policy, purge=auth_type == "NONE", check_mode=check_mode
        )
        return policy_changed

    # Never leave AWS_IAM without its policy (that denies every request): put the policy before
    # turning AWS_IAM on, and delete it only after turning AWS_IAM off.
    steps = (ensure_policy, ensure_settings) if auth_type == "AWS_IAM" else (ensure_settings, ensure_policy)
    for step in steps:
        changed |= step()

    tags_changed, service["tags"] = ensure_tags(
        client, arn, service["tags"], params["tags"], params["purge_tags"], check_mode
    )
    changed |= tags_changed

    if changed and not check_mode:
        # Report what AWS has now (status, DNS name, timestamps), unless it is not readable yet (wait=false).
        fresh = wait_active(client, module, arn) if params["wait"] else get_service(client, arn)
        if fresh is not None:
            service = service_details(client, fresh)
    return changed, service


def ensure_absent(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> bool:
    """Delete the service (AWS deletes its listeners and auth policy with it) and wait until it is gone."""
    return delete_and_wait(
        module,
        current,
        lambda: delete_service(client, current["arn"]),
        lambda: get_service(client, current["arn"]),
        "service",
    )


def main():
    argument_spec = lifecycle_argument_spec(
        name=dict(type="str", required=True),
        auth_type=dict(type="str", default="NONE", choices=["NONE", "AWS_IAM"]),
        auth_policy=dict(type="json"),
        custom_domain_name=dict(type="str"),
        certificate_arn=dict(type="str"),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    # Refuse bad input before the first API call.
    try:
        policy = validate(module.params)
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    client = module.client("vpc-lattice")
    try:
        current = describe_service(client, module.params["name"])
        if module.params["state"] == "present":
            changed, service = ensure_present(client, module, current, policy)
        else:
            changed, service = ensure_absent(client, module, current), None
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed}
    if service is not None:
        result["service"] = service
    if module._diff:
        result["diff"] = diff(current, service, DIFF_KEYS)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
