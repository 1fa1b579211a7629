#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_dashboard
version_added: 0.1.0
short_description: Manage an Amazon CloudWatch dashboard
description:
  - Create a CloudWatch dashboard, replace its widgets, or delete it.
  - The body is compared as data (key order and spacing do not matter), so a second run changes nothing.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  name:
    description:
      - The dashboard's name (letters, digits, C(-) and C(_), up to 255 characters); unique in the account.
    type: str
    required: true
    aliases: [dashboard_name]
  state:
    description:
      - Whether the dashboard exists.
    type: str
    choices: [present, absent]
    default: present
  body:
    description:
      - The dashboard body, as CloudWatch's dashboard body structure describes it (C(widgets), and optionally
        C(start), C(end), C(periodOverride)).
      - Required with O(state=present).
    type: dict
notes:
  - Dashboards are global to the account (one namespace for every region); a widget names its own region.
  - CloudWatch dashboards take no tags.
  - CloudWatch saves a dashboard whose widgets it only warns about; the warnings are returned in
    RV(dashboard.validation_messages). An invalid body fails the task with CloudWatch's message.
  - The module calls C(cloudwatch:GetDashboard), C(cloudwatch:PutDashboard) and C(cloudwatch:DeleteDashboards).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure the shop dashboard shows the load balancer's requests and response time
  blueprint.aws.cloudwatch_dashboard:
    name: shop
    body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: Requests
            region: ap-northeast-2
            metrics:
              - [AWS/ApplicationELB, RequestCount, LoadBalancer, app/shop/0123456789abcdef]
            stat: Sum
            period: 300
        - type: metric
          x: 12
          y: 0
          width: 12
          height: 6
          properties:
            title: Response time (p95)
            region: ap-northeast-2
            metrics:
              - [AWS/ApplicationELB, TargetResponseTime, LoadBalancer, app/shop/0123456789abcdef]
            stat: p95
            period: 300

- name: Ensure the old dashboard is gone
  blueprint.aws.cloudwatch_dashboard:
    name: shop-old
    state: absent
"""

RETURN = r"""
dashboard:
  description: The dashboard after the task (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    name:
      description: The dashboard's name.
      returned: always
      type: str
      sample: shop
    arn:
      description: The dashboard's ARN. Missing for a dashboard a check-mode run would create.
      returned: success
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/shop
    body:
      description: The dashboard body.
      returned: always
      type: dict
      sample: {"widgets": [{"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6, "properties": {}}]}
    validation_messages:
      description: What CloudWatch warned about when it saved the body (empty when nothing, or nothing was saved).
      returned: always
      type: list
      elements: dict
      sample: [{"DataPath": "/widgets/0/properties/metrics/0", "Message": "Should NOT have more than 4 items"}]
"""

from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.blueprint.aws.plugins.module_utils.cloudwatch import AnsibleCloudWatchError
from ansible_collections.blueprint.aws.plugins.module_utils.cloudwatch import delete_dashboard
from ansible_collections.blueprint.aws.plugins.module_utils.cloudwatch import get_dashboard
from ansible_collections.blueprint.aws.plugins.module_utils.cloudwatch import put_dashboard


def needs_update(current: Optional[Dict[str, Any]], body: Dict[str, Any]) -> bool:
    """Whether the dashboard is missing or shows something else than ``body`` (compared as data)."""
    return current is None or current["body"] != body


def ensure_present(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]):
    name, body = module.params["name"], module.params["body"]
    if not needs_update(current, body):
        return False, dict(current, validation_messages=[])
    after = dict(current or {"name": name}, body=body, validation_messages=[])
    if module.check_mode:
        return True, after
    messages = put_dashboard(client, name, body)
    return True, dict(get_dashboard(client, name) or after, validation_messages=messages)


def ensure_absent(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> bool:
    if current is None:
        return False
    if not module.check_mode:
        delete_dashboard(client, module.params["name"])
    return True


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["dashboard_name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        body=dict(type="dict"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["body"])],
        supports_check_mode=True,
    )
    body = module.params["body"]
    if body is not None and not isinstance(body.get("widgets"), list):
        module.fail_json(msg="body.widgets: a dashboard body needs its list of widgets (it may be empty)")

    client = module.client("cloudwatch")
    try:
        current = get_dashboard(client, module.params["name"])
        if module.params["state"] == "present":
            changed, dashboard = ensure_present(client, module, current)
            result = {"changed": changed, "dashboard": dashboard}
            after_body = dashboard["body"]
        else:
            result = {"changed": ensure_absent(client, module, current)}
            after_body = None
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)

    if module._diff:
        result["diff"] = {"before": {"body": current["body"] if current else None}, "after": {"body": after_body}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
