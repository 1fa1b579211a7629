#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_service_info
version_added: 0.1.0
short_description: Gather information about Amazon VPC Lattice services
description:
  - Describe the VPC Lattice services this account owns or has been shared, with their DNS names, tags and,
    optionally, their auth policies.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  name:
    description:
      - Only the service with this name.
    type: str
  ids:
    description:
      - Only the services with these IDs or ARNs. Unknown ones are left out of the result.
    type: list
    elements: str
  include_auth_policy:
    description:
      - Whether to return each service's auth policy (one more request per service).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Gather every service
  blueprint.aws.vpc_lattice_service_info:
  register: all_services

- name: Gather the users service with its auth policy
  blueprint.aws.vpc_lattice_service_info:
    name: users
    include_auth_policy: true
  register: users

- name: Gather services by ID or ARN
  blueprint.aws.vpc_lattice_service_info:
    ids:
      - svc-0123456789abcdef0
      - arn:aws:vpc-lattice:ap-northeast-2:123456789012:service/svc-0fedcba98765432100
"""

RETURN = r"""
services:
  description: The matching services.
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The ARN of the service.
      returned: always
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:service/svc-0123456789abcdef0
    id:
      description: The ID of the service.
      returned: always
      type: str
      sample: svc-0123456789abcdef0
    name:
      description: The name of the service.
      returned: always
      type: str
      sample: users
    status:
      description: The status of the service.
      returned: always
      type: str
      sample: ACTIVE
    auth_type:
      description: How requests are authenticated.
      returned: always
      type: str
      sample: AWS_IAM
    auth_policy:
      description: The auth policy document, or null when the service has none.
      returned: when O(include_auth_policy=true)
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
      description: The DNS name AWS generated for the service.
      returned: when AWS reports it
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
      returned: when AWS reports it
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    last_updated_at:
      description: When the service was last updated (ISO 8601).
      returned: when AWS reports it
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

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_service
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import list_services
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import service_details


def find_services(client, module: AnsibleAWSModule) -> List[Dict[str, Any]]:
    """GetService's answer for each service the options select (summaries lack the auth type and certificate)."""
    ids = module.params["ids"]
    name = module.params["name"]
    if not ids:
        ids = [summary["id"] for summary in list_services(client) if name in (None, summary["name"])]
    services = [get_service(client, identifier) for identifier in ids]
    return [service for service in services if service is not None]


def main():
    argument_spec = dict(
        name=dict(type="str"),
        ids=dict(type="list", elements="str"),
        include_auth_policy=dict(type="bool", default=False),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["name", "ids"]],
        supports_check_mode=True,
    )

    client = module.client("vpc-lattice")
    try:
        services = [
            service_details(client, service, module.params["include_auth_policy"])
            for service in find_services(client, module)
        ]
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=False, services=services)


if __name__ == "__main__":
    main()
