# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the SNS modules.

Every boto3 call sits in a small wrapper decorated with an error handler and a retry decorator, so a module
catches ``AnsibleSNSError`` (and ``kms.AnsibleKMSError`` for the key lookups of ``kms.py``) and calls
``module.fail_json_aws_error(e)``. Getters return ``None`` for a topic that does not exist.
"""

from typing import Dict
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# SNS throttles with Throttled and ThrottlingException; AWSRetry only knows the generic "Throttling".
_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["Throttled", "ThrottlingException"])


class AnsibleSNSError(AnsibleAWSError):
    """The one exception the SNS helpers raise."""


class SNSErrorHandler(AWSErrorHandler):
    """Turns botocore errors into AnsibleSNSError; a missing topic means 'None'."""

    _CUSTOM_EXCEPTION = AnsibleSNSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFound")


@SNSErrorHandler.list_error_handler("list topics")
@_retry
def find_topic_arn(client, name: str) -> Optional[str]:
    """The ARN of the topic with this name in the client's account and region, or None."""
    paginator = client.get_paginator("list_topics")
    for page in paginator.paginate():
        for topic in page.get("Topics", []):
            if topic["TopicArn"].rsplit(":", 1)[-1] == name:
                return topic["TopicArn"]
    return None


@SNSErrorHandler.list_error_handler("get topic attributes")
@_retry
def get_topic_attributes(client, arn: str) -> Optional[Dict[str, str]]:
    """GetTopicAttributes' ``Attributes``, or None when there is no such topic."""
    return client.get_topic_attributes(TopicArn=arn)["Attributes"]


@SNSErrorHandler.common_error_handler("set topic attributes")
@_retry
def set_topic_attribute(client, arn: str, name: str, value: str) -> None:
    client.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value)
