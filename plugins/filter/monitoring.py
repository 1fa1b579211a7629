# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plans for the monitoring layer's alarms and dashboards.

Pure functions of inventory data and of the facts other layers published: an alarm or a dashboard panel names
the resource it watches the way its layer names it (``{alb: web, target_group: backend}``), and
``metric_target`` turns that into CloudWatch's namespace and dimensions, or says which fact is not there yet.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Each kind of resource: its CloudWatch namespace, the dimension it gives, the fact that resolves it (and the
# layer that publishes that fact), and how a published value becomes the dimension's value.
KINDS = {
    "alb": ("AWS/ApplicationELB", "LoadBalancer", "loadbalancer_arns", "loadbalancer"),
    "target_group": ("AWS/ApplicationELB", "TargetGroup", "loadbalancer_target_group_arns", "loadbalancer"),
    "rds": ("AWS/RDS", "DBInstanceIdentifier", "data_rds_identifiers", "data"),
    "autoscaling_group": ("AWS/EC2", "AutoScalingGroupName", "compute_autoscaling_group_names", "compute"),
}
# The panels' grid: CloudWatch dashboards are 24 units wide.
PANEL_WIDTH = 12
PANEL_HEIGHT = 6
ALARM_STATUS_HEIGHT = 3


def _dimension_value(kind, published):
    """CloudWatch's value for a resource: the part of an ELB ARN after ``loadbalancer/`` or the last ``:``."""
    if kind == "alb":
        return published.split(":loadbalancer/", 1)[-1]
    if kind == "target_group":
        return published.rsplit(":", 1)[-1]
    return published


def metric_target(resource, published, namespace=None, dimensions=None):
    """``{namespace, dimensions, missing}`` of a metric of ``resource`` (``{kind: name}``), from ``published``
    (``{fact name: {name: value}}``); or of the given ``namespace`` and ``dimensions`` when there is no resource.
    ``missing`` names each fact that does not have the resource yet, with the layer that publishes it."""
    out_dimensions = dict(dimensions or {})
    missing = []
    kinds = [kind for kind in KINDS if (resource or {}).get(kind)]
    for kind in kinds:
        _namespace, dimension, fact, layer = KINDS[kind]
        name = resource[kind]
        value = (published.get(fact) or {}).get(name)
        if value:
            out_dimensions[dimension] = _dimension_value(kind, value)
        else:
            missing.append("{0}.{1} (the {2} layer)".format(fact, name, layer))
    if not namespace and kinds:
        namespace = KINDS[kinds[0]][0]
    return {"namespace": namespace or "", "dimensions": out_dimensions, "missing": missing}


def monitoring_alarm_plan(alarms, prefix, published, topic_arn_prefix):
    """Each alarm with its CloudWatch name, namespace, dimensions, missing facts and topic ARNs as actions."""
    plan = []
    for alarm in alarms or []:
        target = metric_target(alarm.get("resource"), published, alarm.get("namespace"), alarm.get("dimensions"))
        actions = [topic_arn_prefix + topic for topic in alarm.get("topics") or []] if topic_arn_prefix else []
        plan.append(dict(
            target,
            name=alarm["name"],
            alarm_name="{0}-{1}".format(prefix, alarm["name"]),
            actions=actions,
            notify_ok=alarm.get("notify_ok", True),
            alarm=alarm,
        ))
    return plan


def _panel_metric(metric, target):
    line = [target["namespace"], metric["metric"]]
    for dimension in sorted(target["dimensions"]):
        line += [dimension, target["dimensions"][dimension]]
    options = {"stat": metric.get("stat") or "Average"}
    if metric.get("label"):
        options["label"] = metric["label"]
    return line + [options]


def monitoring_dashboard_plan(dashboards, prefix, published, region, alarm_arns):
    """Each dashboard with its CloudWatch name, body and missing facts.

    The body has an alarm status row first (the stack's alarms, ``alarm_arns``, unless ``alarm_status`` is
    false), then the panels two to a row, each a time series of its metrics.
    """
    plan = []
    for dashboard in dashboards or []:
        widgets = []
        missing = []
        top = 0
        if dashboard.get("alarm_status", True) and alarm_arns:
            widgets.append({
                "type": "alarm", "x": 0, "y": 0, "width": 2 * PANEL_WIDTH, "height": ALARM_STATUS_HEIGHT,
                "properties": {"title": "Alarms", "alarms": sorted(alarm_arns)[:100]},
            })  # fmt: skip
            top = ALARM_STATUS_HEIGHT
        for index, panel in enumerate(dashboard.get("panels") or []):
            lines = []
            for metric in panel.get("metrics") or []:
                target = metric_target(metric.get("resource"), published, metric.get("namespace"), metric.get("dimensions"))
                missing += target["missing"]
                lines.append(_panel_metric(metric, target))
            widgets.append({
                "type": "metric",
                "x": (index % 2) * PANEL_WIDTH, "y": top + (index // 2) * PANEL_HEIGHT,
                "width": PANEL_WIDTH, "height": PANEL_HEIGHT,
                "properties": {"title": panel["title"], "region": region, "view": "timeSeries", "stacked": False,
                               "period": int(panel.get("period") or 300), "metrics": lines},
            })  # fmt: skip
        plan.append({
            "name": dashboard["name"],
            "dashboard_name": "{0}-{1}".format(prefix, dashboard["name"]),
            "body": {"widgets": widgets},
            "missing": sorted(set(missing)),
        })  # fmt: skip
    return plan


class FilterModule(object):
    """Alarm and dashboard plans for the monitoring layer."""

    def filters(self):
        return {
            "metric_target": metric_target,
            "monitoring_alarm_plan": monitoring_alarm_plan,
            "monitoring_dashboard_plan": monitoring_dashboard_plan,
        }
