# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The KMS lookups modules of other services make (which key an id, ARN or alias names, and who manages it).

A module using them catches ``AnsibleKMSError`` next to its own family's exception.
"""

from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# KMS throttles with ThrottlingException; AWSRetry only knows the generic "Throttling".
_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException"])


class AnsibleKMSError(AnsibleAWSError):
    """The one exception the KMS helpers raise."""


class KMSErrorHandler(AWSErrorHandler):
    """Turns botocore errors into AnsibleKMSError; a missing key means 'None'."""

    _CUSTOM_EXCEPTION = AnsibleKMSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


@KMSErrorHandler.list_error_handler("describe KMS key")
@_retry
def describe_key(client, key_id: str) -> Optional[Dict[str, Any]]:
    """KMS DescribeKey's ``KeyMetadata`` for a key id, key ARN, alias name or alias ARN; None if unknown."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]
