#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ec2_managed_prefix_list_info
version_added: 0.1.0
short_description: Gather information about EC2 managed prefix lists, AWS-managed ones included
description:
  - Describe managed prefix lists by name or ID, typically to find the ID of an AWS-managed list such as
    C(com.amazonaws.<region>.vpc-lattice) (the addresses VPC Lattice connects from) or
    C(com.amazonaws.<region>.s3), so a security group rule can admit it.
  - Prefix list IDs differ per region and account; names of AWS-managed lists do not, which is why inventories
    name them.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  names:
    description:
      - Only the prefix lists with these names.
    type: list
    elements: str
  ids:
    description:
      - Only the prefix lists with these IDs (C(pl-...)).
    type: list
    elements: str
  include_entries:
    description:
      - Whether to return each list's CIDR entries (one more request per list).
    type: bool
    default: false
  fail_on_missing:
    description:
      - Fail, naming them, when any of O(names) or O(ids) matches no prefix list.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Find the prefix list VPC Lattice connects from
  blueprint.aws.ec2_managed_prefix_list_info:
    names:
      - com.amazonaws.ap-northeast-2.vpc-lattice
    fail_on_missing: true
  register: lattice_prefix_list

- name: Admit VPC Lattice to the service ALB
  amazon.aws.ec2_security_group:
    name: service-alb
    description: The internal ALB, reached by VPC Lattice only
    vpc_id: vpc-0123456789abcdef0
    rules:
      - proto: tcp
        ports: [80]
        ip_prefix: "{{ lattice_prefix_list.prefix_lists[0].prefix_list_id }}"

- name: Gather a list with its entries
  blueprint.aws.ec2_managed_prefix_list_info:
    ids:
      - pl-0123456789abcdef0
    include_entries: true
"""

RETURN = r"""
prefix_lists:
  description: The matching prefix lists, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    prefix_list_id:
      description: The ID of the prefix list.
      returned: always
      type: str
      sample: pl-0123456789abcdef0
    prefix_list_name:
      description: The name of the prefix list.
      returned: always
      type: str
      sample: com.amazonaws.ap-northeast-2.vpc-lattice
    prefix_list_arn:
      description: The ARN of the prefix list.
      returned: when AWS reports it
      type: str
      sample: arn:aws:ec2:ap-northeast-2:aws:prefix-list/pl-0123456789abcdef0
    owner_id:
      description: Who owns the list; C(AWS) for AWS-managed lists.
      returned: always
      type: str
      sample: AWS
    address_family:
      description: C(IPv4) or C(IPv6).
      returned: always
      type: str
      sample: IPv4
    state:
      description: The state of the list.
      returned: always
      type: str
      sample: create-complete
    max_entries:
      description: The most entries the list may hold (it counts against security group rule quotas).
      returned: when AWS reports it
      type: int
      sample: 10
    version:
      description: The version of the list.
      returned: when AWS reports it
      type: int
      sample: 1
    tags:
      description: The tags of the list.
      returned: always
      type: dict
      sample: {}
    entries:
      description: The list's CIDR blocks.
      returned: when O(include_entries=true)
      type: list
      elements: dict
      contains:
        cidr:
          description: The CIDR block.
          returned: always
          type: str
          sample: 169.254.171.0/24
        description:
          description: The entry's description.
          returned: when it has one
          type: str
          sample: default
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.transformation import boto3_resource_to_ansible_dict


class AnsiblePrefixListError(AnsibleAWSError):
    """A managed prefix list request failed."""


class PrefixListErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsiblePrefixListError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["InvalidPrefixListID.NotFound", "InvalidPrefixListId.NotFound"])


@PrefixListErrorHandler.list_error_handler("describe managed prefix lists", [])
@AWSRetry.jittered_backoff()
def describe_prefix_lists(client, **params) -> List[Dict[str, Any]]:
    """Every page of DescribeManagedPrefixLists; an unknown ID gives an empty answer, as a name does."""
    paginator = client.get_paginator("describe_managed_prefix_lists")
    return paginator.paginate(**params).build_full_result()["PrefixLists"]


@PrefixListErrorHandler.common_error_handler("get managed prefix list entries")
@AWSRetry.jittered_backoff()
def prefix_list_entries(client, prefix_list_id: str) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("get_managed_prefix_list_entries")
    return paginator.paginate(PrefixListId=prefix_list_id).build_full_result()["Entries"]


def find_prefix_lists(client, names: Optional[List[str]], ids: Optional[List[str]]) -> List[Dict[str, Any]]:
    """The lists matching every given selector (names and IDs together narrow the result)."""
    filters = [{"Name": "prefix-list-name", "Values": names}] if names else []
    params: Dict[str, Any] = {"Filters": filters} if filters else {}
    if ids:
        # One unknown ID fails the whole request on AWS: ask for each alone so the others still answer.
        found: List[Dict[str, Any]] = []
        for prefix_list_id in ids:
            found.extend(describe_prefix_lists(client, PrefixListIds=[prefix_list_id], **params))
        return found
    return describe_prefix_lists(client, **params)


def prefix_list_details(client, prefix_list: Dict[str, Any], include_entries: bool) -> Dict[str, Any]:
    result = boto3_resource_to_ansible_dict(prefix_list)
    if include_entries:
        result["entries"] = [
            boto3_resource_to_ansible_dict(entry, force_tags=False) for entry in prefix_list_entries(client, prefix_list["PrefixListId"])
        ]
    return result


def missing_selectors(found: List[Dict[str, Any]], names: Optional[List[str]], ids: Optional[List[str]]) -> List[str]:
    """The names and IDs asked for that no list answered."""
    found_names = {item["prefix_list_name"] for item in found}
    found_ids = {item["prefix_list_id"] for item in found}
    return [name for name in names or [] if name not in found_names] + [i for i in ids or [] if i not in found_ids]


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str"),
        ids=dict(type="list", elements="str"),
        include_entries=dict(type="bool", default=False),
        fail_on_missing=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params

    client = module.client("ec2", retry_decorator=AWSRetry.jittered_backoff())
    try:
        found = find_prefix_lists(client, params["names"], params["ids"])
        prefix_lists = sorted(
            (prefix_list_details(client, item, params["include_entries"]) for item in found),
            key=lambda item: (item["prefix_list_name"], item["prefix_list_id"]),
        )
    except AnsiblePrefixListError as e:
        module.fail_json_aws_error(e)

    missing = missing_selectors(prefix_lists, params["names"], params["ids"])
    if params["fail_on_missing"] and missing:
        module.fail_json(msg="No managed prefix list named or with ID: " + ", ".join(missing), prefix_lists=prefix_lists)
    module.exit_json(changed=False, prefix_lists=prefix_lists)


if __name__ == "__main__":
    main()
