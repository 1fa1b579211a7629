# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monitoring layer's plans: a resource named as its layer names it becomes CloudWatch's dimensions."""

from __future__ import annotations

from ansible_collections.blueprint.aws.plugins.filter.monitoring import (
    metric_target,
    monitoring_alarm_plan,
    monitoring_dashboard_plan,
)

ALB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/webapp-web/50dc6c495c0c9188"
TG_ARN = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/webapp-backend/73e2d6bc24d8a067"
PUBLISHED = {
    "loadbalancer_arns": {"web": ALB_ARN},
    "loadbalancer_target_group_arns": {"backend": TG_ARN},
    "data_rds_identifiers": {"main": "webapp-main"},
    "compute_autoscaling_group_names": {"frontend": "webapp-frontend"},
}


def test_each_kind_gives_its_namespace_and_dimension():
    assert metric_target({"alb": "web", "target_group": "backend"}, PUBLISHED) == {
        "namespace": "AWS/ApplicationELB",
        "dimensions": {"LoadBalancer": "app/webapp-web/50dc6c495c0c9188",
                       "TargetGroup": "targetgroup/webapp-backend/73e2d6bc24d8a067"},
        "missing": [],
    }  # fmt: skip
    assert metric_target({"rds": "main"}, PUBLISHED)["dimensions"] == {"DBInstanceIdentifier": "webapp-main"}
    assert metric_target({"autoscaling_group": "frontend"}, PUBLISHED)["namespace"] == "AWS/EC2"


def test_what_is_not_published_is_named_with_its_layer():
    target = metric_target({"alb": "web", "target_group": "frontend"}, PUBLISHED)
    assert target["missing"] == ["loadbalancer_target_group_arns.frontend (the loadbalancer layer)"]
    assert metric_target({"rds": "main"}, {})["missing"] == ["data_rds_identifiers.main (the data layer)"]


def test_dimensions_without_a_resource_pass_through():
    assert metric_target(None, PUBLISHED, "AWS/SQS", {"QueueName": "jobs"}) == {
        "namespace": "AWS/SQS", "dimensions": {"QueueName": "jobs"}, "missing": []}


def test_alarm_plan_names_and_actions():
    alarms = [{"name": "cpu", "resource": {"rds": "main"}, "topics": ["alerts"], "notify_ok": False}]
    [plan] = monitoring_alarm_plan(alarms, "webapp", PUBLISHED, "arn:aws:sns:ap-northeast-2:123456789012:webapp-")
    assert (plan["alarm_name"], plan["namespace"], plan["actions"], plan["notify_ok"]) == (
        "webapp-cpu", "AWS/RDS", ["arn:aws:sns:ap-northeast-2:123456789012:webapp-alerts"], False)
    [unknown_account] = monitoring_alarm_plan(alarms, "webapp", PUBLISHED, "")
    assert unknown_account["actions"] == []


def test_dashboard_plan_lays_the_panels_out_under_the_alarms():
    panels = [{"title": f"p{n}", "metrics": [{"resource": {"rds": "main"}, "metric": "CPUUtilization"}]} for n in range(3)]
    panels[1]["metrics"].append({"resource": {"alb": "web"}, "metric": "RequestCount", "stat": "Sum", "label": "all"})
    [plan] = monitoring_dashboard_plan([{"name": "overview", "panels": panels}], "webapp", PUBLISHED, "ap-northeast-2",
                                       ["arn:b", "arn:a"])
    assert plan["dashboard_name"] == "webapp-overview" and plan["missing"] == []
    status, *widgets = plan["body"]["widgets"]
    assert status["type"] == "alarm" and status["properties"]["alarms"] == ["arn:a", "arn:b"] and status["width"] == 24
    assert [(w["x"], w["y"], w["width"], w["height"]) for w in widgets] == [(0, 3, 12, 6), (12, 3, 12, 6), (0, 9, 12, 6)]
    assert widgets[0]["properties"]["metrics"] == [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "webapp-main",
                                                    {"stat": "Average"}]]
    assert widgets[1]["properties"]["metrics"][1] == [
        "AWS/ApplicationELB", "RequestCount", "LoadBalancer", "app/webapp-web/50dc6c495c0c9188", {"stat": "Sum", "label": "all"}]
    assert (widgets[0]["properties"]["region"], widgets[0]["properties"]["period"]) == ("ap-northeast-2", 300)


def test_dashboard_plan_without_alarms_or_published_facts():
    dashboards = [{"name": "d", "alarm_status": True, "panels": [{"title": "t", "metrics": [{"resource": {"rds": "x"}, "metric": "m"}]}]}]
    [plan] = monitoring_dashboard_plan(dashboards, "webapp", PUBLISHED, "ap-northeast-2", [])
    assert [w["type"] for w in plan["body"]["widgets"]] == ["metric"] and plan["body"]["widgets"][0]["y"] == 0
    assert plan["missing"] == ["data_rds_identifiers.x (the data layer)"]
