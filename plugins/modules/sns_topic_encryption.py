#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: sns_topic_encryption
version_added: 0.1.0
short_description: Manage the server-side encryption of an Amazon SNS topic
description:
  - Encrypt the messages an SNS topic stores with a KMS key, change the key, or stop encrypting.
  - This is the setting M(community.aws.sns_topic) does not manage; use it to create the topic and its
    subscriptions, then this module to encrypt it.
  - The topic must exist; the module fails, naming it, when it does not (in check mode too).
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  topic:
    description:
      - The topic's name (in the module's account and region) or ARN.
    type: str
    required: true
    aliases: [name]
  encrypted:
    description:
      - Whether the topic encrypts the messages it stores.
    type: bool
    default: true
  kms_key_id:
    description:
      - The KMS key, as a key id, key ARN, alias name (C(alias/...)) or alias ARN.
      - If not set, the account's AWS managed key C(alias/aws/sns).
      - It is compared by the key it resolves to, so an alias of the current key is not a change.
      - Refused with O(encrypted=false).
    type: str
notes:
  - CloudWatch alarms, EventBridge and other AWS services can publish to an encrypted topic only when the key
    policy lets their service principal use the key (C(kms:GenerateDataKey*) and C(kms:Decrypt)). The AWS managed
    key's policy cannot be changed, so a topic that alarms publish to needs a customer managed key.
  - The module calls C(sns:ListTopics) (for a topic given by name), C(sns:GetTopicAttributes),
    C(sns:SetTopicAttributes) and, to compare two different spellings of a key, C(kms:DescribeKey).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the alerts topic exists
  community.aws.sns_topic:
    name: alerts

- name: Ensure the alerts topic encrypts its messages with our key, which CloudWatch may use
  blueprint.aws.sns_topic_encryption:
    topic: alerts
    kms_key_id: alias/alerts

- name: Ensure the orders topic encrypts its messages with the AWS managed key
  blueprint.aws.sns_topic_encryption:
    topic: arn:aws:sns:ap-northeast-2:123456789012:orders

- name: Ensure the debug topic stores its messages unencrypted
  blueprint.aws.sns_topic_encryption:
    topic: debug
    encrypted: false
"""

RETURN = r"""
topic:
  description: The topic's encryption after the task (predicted in check mode).
  returned: success
  type: dict
  contains:
    arn:
      description: The ARN of the topic.
      returned: always
      type: str
      sample: arn:aws:sns:ap-northeast-2:123456789012:alerts
    encrypted:
      description: Whether the topic encrypts the messages it stores.
      returned: always
      type: bool
      sample: true
    kms_key_id:
      description: The key as the topic holds it (as it was given to SNS); null when not encrypted.
      returned: always
      type: str
      sample: alias/alerts
"""

from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.kms import AnsibleKMSError
from ansible_collections.blueprint.aws.plugins.module_utils.kms import describe_key
from ansible_collections.blueprint.aws.plugins.module_utils.sns import AnsibleSNSError
from ansible_collections.blueprint.aws.plugins.module_utils.sns import find_topic_arn
from ansible_collections.blueprint.aws.plugins.module_utils.sns import get_topic_attributes
from ansible_collections.blueprint.aws.plugins.module_utils.sns import set_topic_attribute

AWS_MANAGED_KEY = "alias/aws/sns"
ATTRIBUTE = "KmsMasterKeyId"


def view(arn: str, key_id: Optional[str]) -> Dict[str, Any]:
    return {"arn": arn, "encrypted": bool(key_id), "kms_key_id": key_id or None}


def needs_change(kms, current: Optional[str], desired: Optional[str]) -> bool:
    """Whether the topic's key (``current``, as SNS holds it) differs from ``desired``; None means unencrypted.

    Two spellings of one key (alias and id, id and ARN) are the same key: DescribeKey tells. A key that cannot
    be described is compared by its spelling.
    """
    if not current or not desired:
        return bool(current) != bool(desired)
    if current == desired:
        return False
    current_key, desired_key = describe_key(kms, current), describe_key(kms, desired)
    if current_key is None or desired_key is None:
        return True
    return current_key["Arn"] != desired_key["Arn"]


def main():
    argument_spec = dict(
        topic=dict(type="str", required=True, aliases=["name"]),
        encrypted=dict(type="bool", default=True),
        kms_key_id=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if params["kms_key_id"] is not None and not params["encrypted"]:
        module.fail_json(msg="kms_key_id: a key for a topic that is not encrypted (encrypted=false)")
    desired = (params["kms_key_id"] or AWS_MANAGED_KEY) if params["encrypted"] else None

    sns = module.client("sns")
    kms = module.client("kms")
    topic = params["topic"]
    try:
        arn = topic if topic.startswith("arn:") else find_topic_arn(sns, topic)
        attributes = get_topic_attributes(sns, arn) if arn else None
        if attributes is None:
            module.fail_json(
                msg=f"SNS topic '{topic}' does not exist: create it first (for example with"
                " community.aws.sns_topic), then encrypt it"
            )
        current = attributes.get(ATTRIBUTE) or None
        changed = needs_change(kms, current, desired)
        if changed and not module.check_mode:
            # An empty value is how SetTopicAttributes turns encryption off.
            set_topic_attribute(sns, arn, ATTRIBUTE, desired or "")
    except (AnsibleSNSError, AnsibleKMSError) as e:
        module.fail_json_aws_error(e)

    before = view(arn, current)
    after = view(arn, desired) if changed else before
    result = {"changed": changed, "topic": after}
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
