# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monitoring layer on the emulator, on its own (--tags monitoring): alarms on metrics given by dimensions,
an encrypted topic, a dashboard under the alarms' state, a check run that predicts and changes nothing, a re-run that changes nothing, a tear-down
that schedules the key's deletion and a converge that brings it back; a real run that names what has not been
made yet; bad input refused before any AWS call. The alarms on the webapp's own resources are checked in
test_webapp_stack.py."""

from __future__ import annotations

import json

import pytest

INVENTORY = "inventories/webapp"
ONLY = ("--tags", "monitoring")
ADMIN = {"webapp_admin_cidrs": ["198.51.100.7/32"]}
TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:webapp-alerts"
QUEUE_ALARMS = {
    **ADMIN,
    "webapp_alert_emails": ["ops@example.com"],
    "monitoring_alarms": [
        {"name": "queue-depth", "namespace": "AWS/SQS", "dimensions": {"QueueName": "jobs"},
         "metric": "ApproximateNumberOfMessagesVisible", "statistic": "Maximum",
         "comparison": "GreaterThanThreshold", "threshold": 100, "topics": ["alerts"]},
        {"name": "queue-age", "namespace": "AWS/SQS", "dimensions": {"QueueName": "jobs"},
         "metric": "ApproximateAgeOfOldestMessage", "extended_statistic": "p95", "comparison": "GreaterThanThreshold",
         "threshold": 60, "evaluation_periods": 3, "datapoints_to_alarm": 2, "topics": ["alerts"], "notify_ok": False},
    ],
    "monitoring_dashboards": [
        {"name": "queues", "panels": [
            {"title": "Jobs waiting", "metrics": [{"namespace": "AWS/SQS", "dimensions": {"QueueName": "jobs"},
                                                   "metric": "ApproximateNumberOfMessagesVisible", "stat": "Maximum"}]},
        ]},
    ],
}  # fmt: skip


def alarms(aws) -> dict:
    return {a["AlarmName"]: a for a in aws.client("cloudwatch").describe_alarms()["MetricAlarms"]}


def key_state(aws) -> str:
    return aws.client("kms").describe_key(KeyId="alias/webapp-monitoring")["KeyMetadata"]["KeyState"]


def test_check_converge_rerun_teardown_and_back(playbook, aws):
    check = playbook("site.yml", *ONLY, "--check", inventory=INVENTORY, extra_vars=QUEUE_ALARMS)
    assert check.returncode == 0, check.failure_messages()
    [predicted] = check.task_results("Predict the topics a real run would make")[0]["results"]
    assert predicted["msg"] == "would create the topic webapp-alerts with 1 subscription(s), encrypted"
    assert alarms(aws) == {} and aws.client("sns").list_topics()["Topics"] == []

    made = playbook("site.yml", *ONLY, inventory=INVENTORY, extra_vars=QUEUE_ALARMS)
    assert made.returncode == 0, made.failure_messages()
    found = alarms(aws)
    assert sorted(found) == ["webapp-queue-age", "webapp-queue-depth"]
    age = found["webapp-queue-age"]
    assert (age["ExtendedStatistic"], age["EvaluationPeriods"], age["DatapointsToAlarm"]) == ("p95", 3, 2)
    assert (age["AlarmActions"], age["OKActions"], found["webapp-queue-depth"]["OKActions"]) == ([TOPIC], [], [TOPIC])
    sns = aws.client("sns")
    attributes = sns.get_topic_attributes(TopicArn=TOPIC)["Attributes"]
    assert (attributes["KmsMasterKeyId"], attributes["DisplayName"]) == ("alias/webapp-monitoring", "webapp alerts")
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=TOPIC)["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", "ops@example.com")]
    board = json.loads(aws.client("cloudwatch").get_dashboard(DashboardName="webapp-queues")["DashboardBody"])
    status, panel = board["widgets"]
    assert status["properties"]["alarms"] == [
        "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:webapp-queue-age",
        "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:webapp-queue-depth",
    ]
    assert panel["properties"]["metrics"] == [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "jobs", {"stat": "Maximum"}]]
    published = made.task_results("Publish the topic ARNs and alarm names")[-1]["ansible_facts"]
    assert published == {"monitoring_topic_arns": {"alerts": TOPIC},
                         "monitoring_alarm_names": {"queue-depth": "webapp-queue-depth", "queue-age": "webapp-queue-age"}}

    for args in (("--check", "--diff"), ()):
        again = playbook("site.yml", *ONLY, *args, inventory=INVENTORY, extra_vars=QUEUE_ALARMS)
        assert again.returncode == 0 and again.changed == 0, again.changed_tasks()

    down = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars=QUEUE_ALARMS)
    assert down.returncode == 0, down.failure_messages()
    assert alarms(aws) == {} and sns.list_topics()["Topics"] == [] and key_state(aws) == "PendingDeletion"
    assert aws.client("cloudwatch").list_dashboards()["DashboardEntries"] == []
    down_again = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars=QUEUE_ALARMS)
    assert down_again.returncode == 0 and down_again.changed == 0, down_again.changed_tasks()

    # Within the key's waiting period a converge restores it, under the same alias.
    back = playbook("site.yml", *ONLY, inventory=INVENTORY, extra_vars=QUEUE_ALARMS)
    assert back.returncode == 0, back.failure_messages()
    assert key_state(aws) == "Enabled" and len(alarms(aws)) == 2


def test_a_real_run_names_the_layers_an_alarm_waits_for(playbook, aws):
    run = playbook("site.yml", *ONLY, inventory=INVENTORY, extra_vars=ADMIN)
    assert run.returncode != 0
    message = " ".join(run.failure_messages())
    assert ("monitoring_alarms (alb-5xx).resource: loadbalancer_arns.web (the loadbalancer layer) not published; "
            "converge those layers first") in message
    assert "monitoring_alarms (rds-cpu).resource: data_rds_identifiers.main (the data layer)" in message
    assert "monitoring_dashboards (overview).panels: compute_autoscaling_group_names.backend (the compute layer)" in message
    assert alarms(aws) == {}


ALARM = {"name": "a", "metric": "CPUUtilization", "statistic": "Average", "comparison": "GreaterThanThreshold",
         "threshold": 80, "resource": {"rds": "main"}}


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"monitoring_alarms": [{**ALARM, "resource": {"rds": "other"}}]},
         "monitoring_alarms[0] (a).resource.rds: no other in data_rds_instances"),
        ({"monitoring_alarms": [{**ALARM, "resource": {"target_group": "backend"}}]},
         "monitoring_alarms[0] (a).resource: a target group's metrics are per load balancer; add alb"),
        ({"monitoring_alarms": [{**ALARM, "resource": {"alb": "web", "rds": "main"}}]},
         "monitoring_alarms[0] (a).resource: alb and rds are in different namespaces"),
        ({"monitoring_alarms": [{**ALARM, "dimensions": {"QueueName": "jobs"}}]},
         "monitoring_alarms[0] (a): give resource (what the stack made) or dimensions (any metric), one of them"),
        ({"monitoring_alarms": [{**ALARM, "extended_statistic": "p95"}]},
         "monitoring_alarms[0] (a): give statistic (Average, Sum...) or extended_statistic (p95...), one of them"),
        ({"monitoring_alarms": [{**ALARM, "period": 90}]},
         "monitoring_alarms[0] (a).period: 90 seconds is not 10, 20, 30 or a multiple of 60"),
        ({"monitoring_alarms": [{**ALARM, "evaluation_periods": 2, "datapoints_to_alarm": 3}]},
         "monitoring_alarms[0] (a).datapoints_to_alarm: 3 is not 1 to evaluation_periods (2)"),
        ({"monitoring_alarms": [{**ALARM, "topics": ["pager"]}]},
         "monitoring_alarms[0] (a).topics: no topic named pager in monitoring_topics"),
        ({"webapp_alert_emails": ["ops.example.com"]},
         "monitoring_topics[0] (alerts).subscriptions[0].endpoint: ops.example.com is not an e-mail address"),
        ({"monitoring_alarms": [{**ALARM, "comparison": ">"}]}, "comparison"),
        ({"monitoring_dashboards": [{"name": "d", "panels": [{"title": "t", "metrics": [
            {"metric": "RequestCount", "resource": {"alb": "api"}}]}]}]},
         "monitoring_dashboards[0] (d).panels[0].metrics[0].resource.alb: no api in loadbalancer_albs"),
        ({"monitoring_dashboards": [{"name": "d", "panels": [{"title": "t", "metrics": [
            {"metric": "NumberOfObjects", "dimensions": {"BucketName": "b"}}]}]}]},
         "monitoring_dashboards[0] (d).panels[0].metrics[0].namespace: a metric given by its dimensions needs its namespace"),
    ],
    ids=["unknown-rds", "target-group-alone", "two-namespaces", "resource-and-dimensions", "two-statistics",
         "period", "datapoints", "unknown-topic", "email", "comparison-choice", "dashboard-unknown-alb",
         "dashboard-namespace"],
)
def test_bad_input_fails_before_any_aws_call(refused, variables, expected):
    refused({**ADMIN, **variables}, expected, inventory=INVENTORY)
