#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: dynamodb_table_protection
version_added: 0.1.0
short_description: Manage the protection settings of an Amazon DynamoDB table
description:
  - Turn point-in-time recovery (continuous backups) on or off and set its recovery period, turn deletion
    protection on or off, and choose the key that encrypts the table at rest.
  - These are the settings M(community.aws.dynamodb_table) does not manage; use it to create the table, then this
    module to protect it.
  - The table must exist; the module fails, naming it, when it does not (in check mode too).
  - An option left unset is not managed, so the module can also report the current settings.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  name:
    description:
      - The name of the table.
    type: str
    required: true
    aliases: [table_name]
  point_in_time_recovery:
    description:
      - Whether point-in-time recovery is on, so the table can be restored to any second of its recovery period.
    type: bool
  recovery_period_days:
    description:
      - How many days back point-in-time recovery reaches, 1 to 35.
      - Only with O(point_in_time_recovery=true). If not set, AWS uses 35 days when it turns recovery on, and an
        existing period is left as it is.
    type: int
  deletion_protection:
    description:
      - Whether the table refuses to be deleted. Turn it off before deleting the table.
    type: bool
  encryption:
    description:
      - Which key encrypts the table at rest. DynamoDB always encrypts; this picks the key.
      - V(aws_owned) is a key AWS owns and manages outside the account (no KMS charges, no audit trail in the
        account).
      - V(aws_managed) is the account's AWS managed KMS key C(alias/aws/dynamodb) (KMS charges apply; its use is
        logged in AWS CloudTrail).
      - V(customer_managed) is the KMS key in O(kms_key_id), whose key policy the account controls.
    type: str
    choices: [aws_owned, aws_managed, customer_managed]
  kms_key_id:
    description:
      - The customer managed KMS key, as a key id, key ARN, alias name (C(alias/...)) or alias ARN.
      - Required with O(encryption=customer_managed), refused otherwise.
      - It is compared by the key ARN it resolves to, so an alias of the current key is not a change.
    type: str
  wait:
    description:
      - Whether to wait until each change is in effect (the table ACTIVE again with its new key, point-in-time
        recovery reported in its new state) before the next one and before returning.
      - Without waiting, the returned settings are predicted rather than read back.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for each change when O(wait=true).
    type: int
    default: 600
notes:
  - Changes are made one at a time, deletion protection first, then point-in-time recovery, then encryption, each
    waited for (with O(wait=true)); a table still being created or updated is waited for before the first.
  - A change of key takes effect in the background; the table stays ACTIVE and usable meanwhile.
  - Telling an AWS managed key from a customer managed one needs C(kms:DescribeKey) on the table's key. The module
    calls C(dynamodb:DescribeTable), C(dynamodb:DescribeContinuousBackups), C(dynamodb:UpdateTable) and
    C(dynamodb:UpdateContinuousBackups) otherwise.
  - In check mode, a switch to O(encryption=aws_managed) predicts C(kms_key_arn) as null (the key is known after
    the change); the module never calls C(kms:DescribeKey) on C(alias/aws/dynamodb), which would create that key.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the users table exists, billed on demand
  community.aws.dynamodb_table:
    name: users
    hash_key_name: user_id
    hash_key_type: STRING
    billing_mode: PAY_PER_REQUEST

- name: Ensure the users table keeps point-in-time recovery, refuses deletion and uses the AWS managed key
  blueprint.aws.dynamodb_table_protection:
    name: users
    point_in_time_recovery: true
    deletion_protection: true
    encryption: aws_managed

- name: Ensure the orders table keeps a week of recovery points and uses our own KMS key
  blueprint.aws.dynamodb_table_protection:
    name: orders
    point_in_time_recovery: true
    recovery_period_days: 7
    encryption: customer_managed
    kms_key_id: alias/orders-data

- name: Read the protection settings of the users table
  blueprint.aws.dynamodb_table_protection:
    name: users
  register: users_protection

- name: Let the users table be deleted
  blueprint.aws.dynamodb_table_protection:
    name: users
    deletion_protection: false
"""

RETURN = r"""
table:
  description: The table's protection settings after the task (predicted in check mode, or when O(wait=false)).
  returned: success
  type: dict
  contains:
    name:
      description: The name of the table.
      returned: always
      type: str
      sample: users
    arn:
      description: The ARN of the table.
      returned: always
      type: str
      sample: arn:aws:dynamodb:ap-northeast-2:123456789012:table/users
    status:
      description: The table's status (C(ACTIVE), C(UPDATING), ...).
      returned: always
      type: str
      sample: ACTIVE
    point_in_time_recovery:
      description: Whether point-in-time recovery is on.
      returned: always
      type: bool
      sample: true
    recovery_period_days:
      description: How many days back point-in-time recovery reaches; null while it is off.
      returned: always
      type: int
      sample: 35
    deletion_protection:
      description: Whether the table refuses to be deleted.
      returned: always
      type: bool
      sample: true
    encryption:
      description: Which key encrypts the table at rest (C(aws_owned), C(aws_managed) or C(customer_managed)).
      returned: always
      type: str
      sample: aws_managed
    kms_key_arn:
      description: The ARN of the KMS key that encrypts the table; null for the AWS owned key.
      returned: always
      type: str
      sample: arn:aws:kms:ap-northeast-2:123456789012:key/0e5c2a4b-8f7d-4b1e-9c3a-6d2f1e0b9a87
    sse_status:
      description: AWS's server-side encryption status (C(ENABLED), C(UPDATING), ...); null for the AWS owned key.
      returned: always
      type: str
      sample: ENABLED
"""

from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import AWS_OWNED
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import CUSTOMER_MANAGED
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import SSE_TRANSITIONS
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import AnsibleDynamoDBError
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import changes
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import current_kms_key_arn
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import describe_continuous_backups
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import diff
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import encryption_kind
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import protection_view
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import sse_specification
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import update_continuous_backups
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import update_table
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import wait_for_point_in_time_recovery
from ansible_collections.blueprint.aws.plugins.module_utils.dynamodb import wait_for_table
from ansible_collections.blueprint.aws.plugins.module_utils.kms import AnsibleKMSError
from ansible_collections.blueprint.aws.plugins.module_utils.kms import describe_key

# What --diff shows: the settings this module manages.
DIFF_KEYS = ("point_in_time_recovery", "recovery_period_days", "deletion_protection", "encryption", "kms_key_arn")
# AWS's recovery period when point-in-time recovery is turned on without one.
DEFAULT_RECOVERY_PERIOD_DAYS = 35


def read(dynamodb, kms, name: str) -> Optional[Dict[str, Any]]:
    """The table's protection settings (see protection_view), or None when the table does not exist."""
    table = describe_table(dynamodb, name)
    if table is None:
        return None
    backups = describe_continuous_backups(dynamodb, name)
    key_arn = current_kms_key_arn(table)
    if key_arn is None:
        encryption = AWS_OWNED
    else:
        # A key that cannot be described any more (scheduled for deletion elsewhere...) is not AWS's own.
        key = describe_key(kms, key_arn)
        encryption = encryption_kind(key) if key is not None else CUSTOMER_MANAGED
    return protection_view(table, backups, encryption, key_arn)


def desired_settings(module: AnsibleAWSModule, kms) -> Dict[str, Any]:
    """What the task asks for, in protection_view's terms; None means "not managed"."""
    params = module.params
    desired = {
        "deletion_protection": params["deletion_protection"],
        "point_in_time_recovery": params["point_in_time_recovery"],
        "recovery_period_days": params["recovery_period_days"],
        "encryption": params["encryption"],
        "kms_key_arn": None,
    }
    if params["encryption"] == CUSTOMER_MANAGED:
        key = describe_key(kms, params["kms_key_id"])
        if key is None:
            module.fail_json(msg=f"kms_key_id: there is no KMS key '{params['kms_key_id']}' in this account and region")
        if encryption_kind(key) != CUSTOMER_MANAGED:
            module.fail_json(
                msg=f"kms_key_id: '{params['kms_key_id']}' is an AWS managed key; use encryption=aws_managed for it"
            )
        desired["kms_key_arn"] = key["Arn"]
    return desired


def predict(current: Dict[str, Any], updates: Dict[str, Any]) -> Dict[str, Any]:
    """The settings after ``updates``, as far as they can be known without making them."""
    after = dict(current, **updates)
    if not after["point_in_time_recovery"]:
        after["recovery_period_days"] = None
    elif after["recovery_period_days"] is None:
        after["recovery_period_days"] = DEFAULT_RECOVERY_PERIOD_DAYS
    if "encryption" in updates and after["encryption"] != CUSTOMER_MANAGED:
        # The AWS managed key's ARN is known once the table uses it.
        after["kms_key_arn"] = None
    if after["encryption"] == AWS_OWNED:
        after["sse_status"] = None
    return after


def ensure(dynamodb, kms, module: AnsibleAWSModule, current: Dict[str, Any]) -> Tuple[bool, Dict[str, Any]]:
    """Make the table's protection what the task asks for; returns (changed, settings after)."""
    params = module.params
    name = current["name"]
    wait, timeout = params["wait"], params["wait_timeout"]

    updates = changes(current, desired_settings(module, kms))
    if not updates:
        return False, current
    after = predict(current, updates)
    if module.check_mode:
        return True, after

    if wait and (current["status"] != "ACTIVE" or current["sse_status"] in SSE_TRANSITIONS):
        wait_for_table(dynamodb, name, timeout)

    # Protect first: deletion protection, then recovery, then the (slowest) change of key.
    if "deletion_protection" in updates:
        update_table(dynamodb, name, DeletionProtectionEnabled=after["deletion_protection"])
        if wait:
            wait_for_table(dynamodb, name, timeout)

    if "point_in_time_recovery" in updates or "recovery_period_days" in updates:
        enabled = after["point_in_time_recovery"]
        period = params["recovery_period_days"] if enabled else None
        update_continuous_backups(dynamodb, name, enabled, period)
        if wait:
            wait_for_point_in_time_recovery(dynamodb, name, enabled, period, timeout)

    if "encryption" in updates or "kms_key_arn" in updates:
        specification = sse_specification(after["encryption"], after["kms_key_arn"])
        update_table(dynamodb, name, SSESpecification=specification)
        if wait:
            wait_for_table(dynamodb, name, timeout)

    if wait:
        after = read(dynamodb, kms, name) or after
    return True, after


def validate(module: AnsibleAWSModule) -> None:
    """Refuse contradictory options before the first API call."""
    params = module.params
    period = params["recovery_period_days"]
    if period is not None:
        if params["point_in_time_recovery"] is not True:
            module.fail_json(msg="recovery_period_days requires point_in_time_recovery=true")
        if not 1 <= period <= 35:
            module.fail_json(msg=f"recovery_period_days must be between 1 and 35, not {period}")
    if params["kms_key_id"] is not None and params["encryption"] != CUSTOMER_MANAGED:
        module.fail_json(msg="kms_key_id requires encryption=customer_managed")


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["table_name"]),
        point_in_time_recovery=dict(type="bool"),
        recovery_period_days=dict(type="int"),
        deletion_protection=dict(type="bool"),
        encryption=dict(type="str", choices=["aws_owned", "aws_managed", "customer_managed"]),
        kms_key_id=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("encryption", "customer_managed", ["kms_key_id"])],
        supports_check_mode=True,
    )
    validate(module)

    name = module.params["name"]
    dynamodb = module.client("dynamodb")
    kms = module.client("kms")
    try:
        current = read(dynamodb, kms, name)
        if current is None:
            module.fail_json(
                msg=f"DynamoDB table '{name}' does not exist: create it first (for example with"
                " community.aws.dynamodb_table), then protect it"
            )
        changed, table = ensure(dynamodb, kms, module, current)
    except (AnsibleDynamoDBError, AnsibleKMSError) as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed, "table": table}
    if module._diff:
        result["diff"] = diff(current, table, DIFF_KEYS)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
