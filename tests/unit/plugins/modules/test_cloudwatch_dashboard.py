# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloudwatch_dashboard: the dashboard's life on moto in process; the exact write calls on a botocore Stubber."""

from __future__ import annotations

import json

import boto3
import pytest
from ansible_collections.blueprint.aws.plugins.modules import cloudwatch_dashboard as module
from botocore.stub import Stubber
from moto import mock_aws

REGION = "us-east-1"
NAME = "shop"
ARN = f"arn:aws:cloudwatch::123456789012:dashboard/{NAME}"
WIDGET = {"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6,
          "properties": {"title": "Requests", "region": REGION, "stat": "Sum", "period": 300,
                         "metrics": [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "app/shop/0123456789abcdef"]]}}  # fmt: skip
BODY = {"widgets": [WIDGET]}


def client():
    return boto3.client("cloudwatch", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture
def run(run_module):
    def run_dashboard(args: dict, cloudwatch, check_mode: bool = False, diff: bool = False):
        return run_module(module, args, cloudwatch, check_mode=check_mode, diff=diff)

    return run_dashboard


@pytest.fixture
def cloudwatch():
    with mock_aws():
        yield client()


def stored(cloudwatch) -> dict | None:
    try:
        return json.loads(cloudwatch.get_dashboard(DashboardName=NAME)["DashboardBody"])
    except cloudwatch.exceptions.ResourceNotFound:
        return None


def test_check_create_rerun_update_and_delete(run, cloudwatch):
    predicted = run({"name": NAME, "body": BODY}, cloudwatch, check_mode=True, diff=True)
    assert predicted.result["changed"] and stored(cloudwatch) is None
    assert predicted.result["diff"] == {"before": {"body": None}, "after": {"body": BODY}}
    assert predicted.result["dashboard"] == {"name": NAME, "body": BODY, "validation_messages": []}

    made = run({"name": NAME, "body": BODY}, cloudwatch)
    assert made.result["changed"] and stored(cloudwatch) == BODY
    assert made.result["dashboard"]["arn"] == ARN

    # The same body with its keys in another order is the same dashboard.
    reordered = {"widgets": [dict(reversed(list(WIDGET.items())))]}
    assert not run({"name": NAME, "body": reordered}, cloudwatch).result["changed"]

    wider = {"widgets": [dict(WIDGET, width=24)]}
    updated = run({"name": NAME, "body": wider}, cloudwatch, diff=True)
    assert updated.result["changed"] and stored(cloudwatch) == wider
    assert updated.result["diff"]["before"] == {"body": BODY}

    predicted_gone = run({"name": NAME, "state": "absent"}, cloudwatch, check_mode=True)
    assert predicted_gone.result["changed"] and stored(cloudwatch) == wider
    gone = run({"name": NAME, "state": "absent"}, cloudwatch)
    assert gone.result["changed"] and stored(cloudwatch) is None
    assert not run({"name": NAME, "state": "absent"}, cloudwatch).result["changed"]


def test_a_body_without_widgets_is_refused_before_any_call(run):
    outcome = run({"name": NAME, "body": {"widget": []}}, None)
    assert outcome.failed and outcome.result["msg"].startswith("body.widgets:")


def test_present_needs_a_body(run):
    outcome = run({"name": NAME}, None)
    assert outcome.failed and "body" in outcome.result["msg"]


def test_the_writes_are_one_put_and_one_delete():
    cloudwatch = client()
    with Stubber(cloudwatch) as stub:
        stub.add_response("put_dashboard", {"DashboardValidationMessages": [{"DataPath": "/widgets/0", "Message": "m"}]},
                          {"DashboardName": NAME, "DashboardBody": json.dumps(BODY, sort_keys=True)})
        stub.add_response("delete_dashboards", {}, {"DashboardNames": [NAME]})
        stub.add_client_error("delete_dashboards", "ResourceNotFound", http_status_code=404,
                              expected_params={"DashboardNames": [NAME]})
        assert module.put_dashboard(cloudwatch, NAME, BODY) == [{"DataPath": "/widgets/0", "Message": "m"}]
        assert module.delete_dashboard(cloudwatch, NAME) is True
        assert module.delete_dashboard(cloudwatch, NAME) is False
        stub.assert_no_pending_responses()
