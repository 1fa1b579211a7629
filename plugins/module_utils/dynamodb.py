# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the DynamoDB modules.

Every boto3 call sits in a small wrapper decorated with an error handler and a retry decorator, so a module
catches ``AnsibleDynamoDBError`` (and ``kms.AnsibleKMSError`` for the key lookups of ``kms.py``) and calls
``module.fail_json_aws_error(e)``. Getters return ``None`` for a table that does not exist.

A table's protection settings live in three places: ``DescribeTable`` (deletion protection, server-side
encryption), ``DescribeContinuousBackups`` (point-in-time recovery) and, to tell an AWS managed KMS key from
a customer managed one, KMS ``DescribeKey``. ``protection_view`` folds them into one flat dict, which is what
the module compares, reports and diffs.
"""

import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import Optional
from typing import Sequence

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# DynamoDB's control plane throttles with ThrottlingException and LimitExceededException (too many table
# operations at once); AWSRetry only knows the generic "Throttling".
TRANSIENT_ERROR_CODES = ["ThrottlingException", "LimitExceededException"]

# UpdateTable answers ResourceInUseException while the table is CREATING or UPDATING, and
# UpdateContinuousBackups answers ContinuousBackupsUnavailableException for a while after a table is
# created ("Backups are being enabled for the table"); both pass.
_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=TRANSIENT_ERROR_CODES)
_retry_in_use = AWSRetry.jittered_backoff(catch_extra_error_codes=TRANSIENT_ERROR_CODES + ["ResourceInUseException"])
_retry_backups = AWSRetry.jittered_backoff(
    catch_extra_error_codes=TRANSIENT_ERROR_CODES + ["ContinuousBackupsUnavailableException"]
)

# SSEDescription.Status values that mean a change of key is still under way.
SSE_TRANSITIONS = ("ENABLING", "DISABLING", "UPDATING")

# The module's names for the three kinds of encryption at rest.
AWS_OWNED = "aws_owned"
AWS_MANAGED = "aws_managed"
CUSTOMER_MANAGED = "customer_managed"


class AnsibleDynamoDBError(AnsibleAWSError):
    """The one exception the DynamoDB helpers raise."""


class DynamoDBErrorHandler(AWSErrorHandler):
    """Turns botocore errors into AnsibleDynamoDBError; a missing table means 'None'.

    DescribeTable says ResourceNotFoundException, DescribeContinuousBackups TableNotFoundException.
    """

    _CUSTOM_EXCEPTION = AnsibleDynamoDBError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException", "TableNotFoundException"])


# ---------------------------------------------------------------------------------------------
# API wrappers
# ---------------------------------------------------------------------------------------------


@DynamoDBErrorHandler.list_error_handler("describe table")
@_retry
def describe_table(client, name: str) -> Optional[Dict[str, Any]]:
    """DescribeTable's ``Table``, or None when there is no such table."""
    return client.describe_table(TableName=name)["Table"]


@DynamoDBErrorHandler.list_error_handler("describe continuous backups")
@_retry
def describe_continuous_backups(client, name: str) -> Optional[Dict[str, Any]]:
    """DescribeContinuousBackups' ``ContinuousBackupsDescription``, or None when there is no such table."""
    return client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]


@DynamoDBErrorHandler.common_error_handler("update point-in-time recovery")
@_retry_backups
def update_continuous_backups(client, name: str, enabled: bool, recovery_period_days: Optional[int] = None) -> None:
    specification: Dict[str, Any] = {"PointInTimeRecoveryEnabled": enabled}
    if enabled and recovery_period_days is not None:
        specification["RecoveryPeriodInDays"] = recovery_period_days
    client.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification=specification)


@DynamoDBErrorHandler.common_error_handler("update table")
@_retry_in_use
def update_table(client, name: str, **params: Any) -> None:
    """UpdateTable with ``params`` (e.g. ``DeletionProtectionEnabled=True``)."""
    client.update_table(TableName=name, **params)


# ---------------------------------------------------------------------------------------------
# Encryption at rest
# ---------------------------------------------------------------------------------------------


def sse_specification(encryption: str, kms_key_id: Optional[str] = None) -> Dict[str, Any]:
    """UpdateTable's ``SSESpecification`` for one of the module's encryption kinds.

    AWS owned is ``Enabled: false``; KMS without a key id means the AWS managed key ``alias/aws/dynamodb``.
    """
    if encryption == AWS_OWNED:
        return {"Enabled": False}
    specification = {"Enabled": True, "SSEType": "KMS"}
    if encryption == CUSTOMER_MANAGED:
        specification["KMSMasterKeyId"] = kms_key_id
    return specification


def current_kms_key_arn(table: Dict[str, Any]) -> Optional[str]:
    """The KMS key that encrypts the table, or None for the AWS owned key.

    A table under the AWS owned key has no ``SSEDescription``, or one whose status is DISABLED (DISABLING
    while it moves back to it). Tables from before KMS support may say ``SSEType: AES256``: AWS owned too.
    """
    description = table.get("SSEDescription") or {}
    if description.get("Status") in (None, "DISABLED", "DISABLING") or description.get("SSEType") != "KMS":
        return None
    return description.get("KMSMasterKeyArn")


def encryption_kind(key: Optional[Dict[str, Any]]) -> str:
    """aws_owned (no key), aws_managed (KMS KeyManager AWS) or customer_managed, from DescribeKey's metadata."""
    if key is None:
        return AWS_OWNED
    return AWS_MANAGED if key.get("KeyManager") == "AWS" else CUSTOMER_MANAGED


# ---------------------------------------------------------------------------------------------
# The module's view, comparison and diff
# ---------------------------------------------------------------------------------------------


def protection_view(
    table: Dict[str, Any], backups: Optional[Dict[str, Any]], encryption: str, kms_key_arn: Optional[str]
) -> Dict[str, Any]:
    """A table's protection settings as the module reports them (flat, snake_case)."""
    pitr = (backups or {}).get("PointInTimeRecoveryDescription") or {}
    enabled = pitr.get("PointInTimeRecoveryStatus") == "ENABLED"
    return {
        "name": table["TableName"],
        "arn": table.get("TableArn"),
        "status": table.get("TableStatus"),
        "point_in_time_recovery": enabled,
        "recovery_period_days": pitr.get("RecoveryPeriodInDays") if enabled else None,
        "deletion_protection": bool(table.get("DeletionProtectionEnabled", False)),
        "encryption": encryption,
        "kms_key_arn": kms_key_arn,
        "sse_status": (table.get("SSEDescription") or {}).get("Status"),
    }


def changes(current: Optional[Dict[str, Any]], desired: Dict[str, Any]) -> Dict[str, Any]:
    """The entries of ``desired`` that differ from ``current``; a None value means "not managed"."""
    current = current or {}
    return {key: value for key, value in desired.items() if value is not None and current.get(key) != value}


def diff(before: Optional[Dict[str, Any]], after: Optional[Dict[str, Any]], keys: Sequence[str]) -> Dict[str, Any]:
    """``--diff`` output over the managed ``keys``; a missing table is ``{}``."""

    def view(resource):
        return {key: resource.get(key) for key in keys} if resource else {}

    return {"before": view(before), "after": view(after)}


# ---------------------------------------------------------------------------------------------
# Waiting
# ---------------------------------------------------------------------------------------------


def poll(fetch: Callable[[], Any], done: Callable[[Any], bool], timeout: int, delay: int, what: str) -> Any:
    """Call ``fetch()`` until ``done(result)``, at most ``timeout`` seconds; returns the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = fetch()
        if done(result):
            return result
        if time.monotonic() + delay > deadline:
            raise AnsibleDynamoDBError(message=f"Timeout waiting for {what} after {timeout} seconds")
        time.sleep(delay)


def table_settled(table: Optional[Dict[str, Any]], name: str) -> bool:
    """Whether the table is ACTIVE with no change of encryption key under way; raises if it is gone."""
    if table is None:
        raise AnsibleDynamoDBError(message=f"DynamoDB table '{name}' disappeared while waiting for it")
    sse_status = (table.get("SSEDescription") or {}).get("Status")
    return table.get("TableStatus") == "ACTIVE" and sse_status not in SSE_TRANSITIONS


def wait_for_table(client, name: str, timeout: int = 600, delay: int = 5) -> Dict[str, Any]:
    """Wait until the table is ACTIVE and its encryption settled (after UpdateTable); returns the table."""
    return poll(
        lambda: describe_table(client, name),
        lambda table: table_settled(table, name),
        timeout,
        delay,
        f"DynamoDB table '{name}' to be ACTIVE",
    )


def wait_for_point_in_time_recovery(
    client, name: str, enabled: bool, recovery_period_days: Optional[int] = None, timeout: int = 600, delay: int = 5
) -> Dict[str, Any]:
    """Wait until DescribeContinuousBackups reports point-in-time recovery ``enabled`` (and the period)."""

    def done(backups):
        if backups is None:
            raise AnsibleDynamoDBError(message=f"DynamoDB table '{name}' disappeared while waiting for it")
        pitr = backups.get("PointInTimeRecoveryDescription") or {}
        if (pitr.get("PointInTimeRecoveryStatus") == "ENABLED") != enabled:
            return False
        return not enabled or recovery_period_days is None or pitr.get("RecoveryPeriodInDays") == recovery_period_days

    state = "enabled" if enabled else "disabled"
    return poll(
        lambda: describe_continuous_backups(client, name),
        done,
        timeout,
        delay,
        f"point-in-time recovery of DynamoDB table '{name}' to be {state}",
    )
