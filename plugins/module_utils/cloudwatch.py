# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the CloudWatch modules.

Every boto3 call sits in a small wrapper decorated with an error handler and a retry decorator, so a module
catches one exception type, ``AnsibleCloudWatchError``, and calls ``module.fail_json_aws_error(e)``. Getters
return ``None`` for a dashboard that does not exist; the deleter returns ``False`` for one already gone.
"""

import json
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# CloudWatch throttles with Throttling (which AWSRetry knows) and, on the dashboard calls, LimitExceeded.
_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["LimitExceeded", "LimitExceededException"])


class AnsibleCloudWatchError(AnsibleAWSError):
    """The one exception the CloudWatch helpers raise."""


class CloudWatchErrorHandler(AWSErrorHandler):
    """Turns botocore errors into AnsibleCloudWatchError; a missing dashboard means 'None' (or 'False')."""

    _CUSTOM_EXCEPTION = AnsibleCloudWatchError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFound")


@CloudWatchErrorHandler.list_error_handler("get dashboard")
@_retry
def get_dashboard(client, name: str) -> Optional[Dict[str, Any]]:
    """The dashboard as the modules return it (``name``, ``arn``, ``body`` parsed), or None."""
    answer = client.get_dashboard(DashboardName=name)
    return {"name": answer["DashboardName"], "arn": answer["DashboardArn"], "body": json.loads(answer["DashboardBody"])}


@CloudWatchErrorHandler.common_error_handler("put dashboard")
@_retry
def put_dashboard(client, name: str, body: Dict[str, Any]) -> List[Dict[str, Any]]:
    """PutDashboard; returns CloudWatch's validation messages (warnings: the dashboard was saved)."""
    answer = client.put_dashboard(DashboardName=name, DashboardBody=json.dumps(body, sort_keys=True))
    return answer.get("DashboardValidationMessages", [])


@CloudWatchErrorHandler.deletion_error_handler("delete dashboard")
@_retry
def delete_dashboard(client, name: str) -> bool:
    """Delete; False if it was already gone."""
    client.delete_dashboards(DashboardNames=[name])
    return True
