#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_lattice_service_network_info
version_added: 0.1.0
short_description: Gather information about Amazon VPC Lattice service networks
description:
  - Describe the VPC Lattice service networks this account owns or has been shared, with their tags and,
    optionally, their auth policies.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  name:
    description:
      - Only the service network with this name.
    type: str
  ids:
    description:
      - Only the service networks with these IDs or ARNs. Unknown ones are left out of the result.
    type: list
    elements: str
  include_auth_policy:
    description:
      - Whether to return each network's auth policy (one more request per network).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Gather every service network
  blueprint.aws.vpc_lattice_service_network_info:
  register: all_networks

- name: Gather the shop service network with its auth policy
  blueprint.aws.vpc_lattice_service_network_info:
    name: shop
    include_auth_policy: true
  register: shop

- name: Gather service networks by ID or ARN
  blueprint.aws.vpc_lattice_service_network_info:
    ids:
      - sn-0123456789abcdef0
      - arn:aws:vpc-lattice:ap-northeast-2:123456789012:servicenetwork/sn-0fedcba98765432100
"""

RETURN = r"""
service_networks:
  description: The matching service networks.
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The ARN of the service network.
      returned: always
      type: str
      sample: arn:aws:vpc-lattice:ap-northeast-2:123456789012:servicenetwork/sn-0123456789abcdef0
    id:
      description: The ID of the service network.
      returned: always
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
      returned: when O(include_auth_policy=true)
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
    tags:
      description: The tags of the service network.
      returned: always
      type: dict
      sample: {"blueprint:stack": "shop"}
    created_at:
      description: When the service network was created (ISO 8601).
      returned: always
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    last_updated_at:
      description: When the service network was last updated (ISO 8601).
      returned: always
      type: str
      sample: "2025-01-31T12:00:00.000000+00:00"
    number_of_associated_vpcs:
      description: How many VPCs are associated with the service network.
      returned: always
      type: int
      sample: 2
    number_of_associated_services:
      description: How many services are associated with the service network.
      returned: always
      type: int
      sample: 1
    sharing_config:
      description: The network's sharing settings.
      returned: always
      type: dict
      contains:
        enabled:
          description: Whether the service network can be shared through AWS RAM.
          returned: when AWS reports it
          type: bool
          sample: true
"""

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import AnsibleVpcLatticeError
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import get_service_network
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import list_service_networks
from ansible_collections.blueprint.aws.plugins.module_utils.vpc_lattice import service_network_details


def find_service_networks(client, module: AnsibleAWSModule) -> List[Dict[str, Any]]:
    """GetServiceNetwork's answer for each network the options select (summaries lack the auth type)."""
    ids = module.params["ids"]
    name = module.params["name"]
    if not ids:
        ids = [summary["id"] for summary in list_service_networks(client) if name in (None, summary["name"])]
    networks = [get_service_network(client, identifier) for identifier in ids]
    return [network for network in networks if network is not None]


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
        networks = [
            service_network_details(client, network, module.params["include_auth_policy"])
            for network in find_service_networks(client, module)
        ]
    except AnsibleVpcLatticeError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=False, service_networks=networks)


if __name__ == "__main__":
    main()
