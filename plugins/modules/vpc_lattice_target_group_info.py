#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_target_group_info
version_added: 0.1.0
short_description: Gather information about Amazon VPC Lattice target groups
description:
  - Describe the VPC Lattice target groups of this account, with their tags and, optionally, their targets.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  name:
    description:
      - Only the target group with this name.
    type: str
  ids:
    description:
      - Only the target groups with these IDs or ARNs. Unknown ones are left out of the result.
    type: list
    elements: str
  include_targets:
    description:
      - Whether to return each group's targets with their status (one more request per group).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Gather every target group
  blueprint.aws.vpc_lattice_target_group_info:
  register: all_target_groups

- name: Gather the users target group with its targets
  blueprint.aws.vpc_lattice_target_group_info:
    name: users
    include_targets: true
  register: users

- name: Gather target groups by ID or ARN
  blueprint.aws.vpc_lattice_target_group_info:
    ids:
      - tg-0123456789abcdef0
      - arn:aws:vpc-lattice:ap-northeast-2:123456789012:targetgroup/tg-0fedcba98765432100
"""

RETURN = r"""
target_groups:
  description: The matching target groups.
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The ARN of the target group.
      returned: always
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:targetgroup/tg-0123456789abcdef0
    id:
      description: The ID of the target group.
      returned: always
      type: str
      sample: tg-0123456789abcdef0
    name:
      description: The name of the target group.
      returned: always
      type: str
      sample: users
    type:
      description: The type of the targets.
      returned: always
      type: str
      sample: INSTANCE
    config:
      description:
        - How the group reaches its targets (C(port), C(protocol), C(protocol_version), C(vpc_identifier),
          C(ip_address_type), C(lambda_event_structure_version)), with its C(health_check).
      returned: always
      type: dict
      sample: {"port": 8080, "protocol": "HTTP", "protocol_version": "HTTP1", "vpc_identifier": "vpc-0123456789abcdef0",
               "health_check": {"enabled": true, "path": "/healthz", "matcher": {"http_code": "200-299"}}}
    status:
      description: The status of the target group.
      returned: always
      type: str
      sample: ACTIVE
    service_arns:
      description: The services whose listeners or rules forward to the group.
      returned: when AWS reports them
      type: list
      elements: str
      sample: ["arn:aws:vpc-lattice:ap-northeast-2:123456789012:service/svc-0123456789abcdef0"]
    created_at:
      description: When the target group was created (ISO 8601).
      returned: always
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    last_updated_at:
      description: When the target group was last updated (ISO 8601).
      returned: always
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    tags:
      description: The tags of the target group.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
    targets:
      description: The targets of the group.
      returned: when O(include_targets=true)
      type: list
      elements: dict
      contains:
        id:
          description: The ID or ARN of the target.
          returned: always
          type: str
          sample: i-0123456789abcdef0
        port:
          description: The port of the target.
          returned: when it has one
          type: int
          sample: 8080
        status:
          description: The status of the target.
          returned: always
          type: str
          sample: HEALTHY
        reason_code:
          description: Why the target has its status.
          returned: when AWS gives one
          type: str
          sample: HealthCheckFailed
"""

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_target_group
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import list_items
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import target_group_details


def find_target_groups(client, module: AnsibleAWSModule) -> List[Dict[str, Any]]:
    """GetTargetGroup's answer for each group the options select (summaries lack the health check)."""
    ids = module.params["ids"]
    name = module.params["name"]
    if not ids:
        summaries = list_items(client, "list_target_groups")
        ids = [summary["id"] for summary in summaries if name in (None, summary["name"])]
    groups = [get_target_group(client, identifier) for identifier in ids]
    return [group for group in groups if group is not None]


def main():
    argument_spec = dict(
        name=dict(type="str"),
        ids=dict(type="list", elements="str"),
        include_targets=dict(type="bool", default=False),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["name", "ids"]],
        supports_check_mode=True,
    )

    client = module.client("vpc-lattice")
    try:
        groups = [
            target_group_details(client, group, module.params["include_targets"])
            for group in find_target_groups(client, module)
        ]
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=False, target_groups=groups)


if __name__ == "__main__":
    main()
