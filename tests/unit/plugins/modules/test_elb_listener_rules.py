# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""elb_listener_rules: the rule set's life on moto in process (with the emulator's fixes, so rules come back in
AWS's shape: Values and PathPatternConfig, Order, ForwardConfig, redirect defaults); AWS's exact answer and the
calls made on a botocore Stubber."""

from __future__ import annotations

import time

import boto3
import moto_fixes
import pytest
from ansible_collections.blueprint.aws.plugins.modules import elb_listener_rules as module
from botocore.stub import ANY, Stubber
from moto import mock_aws

REGION = "us-east-1"
WRITES = ("Create", "Modify", "Delete", "Set", "Add", "Remove")


class Recorder:
    """The API operations the client was asked for, in order."""

    def __init__(self, client):
        self.operations: list[str] = []
        client.meta.events.register("before-call.elastic-load-balancing-v2.*", self._record)

    def _record(self, model, **_kwargs):
        self.operations.append(model.name)

    @property
    def writes(self) -> list[str]:
        return [name for name in self.operations if name.startswith(WRITES)]


def elbv2_client():
    return boto3.client("elbv2", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)


@pytest.fixture
def alb():
    """An ALB with an HTTPS-less HTTP listener forwarding to 'frontend', and a 'backend' group, on moto."""
    moto_fixes.apply()
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        client = elbv2_client()
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
            for n, zone in ((1, "a"), (2, "b"))
        ]  # fmt: skip
        balancer = client.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
        groups = {
            name: client.create_target_group(Name=name, Protocol="HTTP", Port=port, VpcId=vpc)["TargetGroups"][0][
                "TargetGroupArn"]
            for name, port in (("frontend", 3000), ("backend", 9999))
        }  # fmt: skip
        listener = client.create_listener(
            LoadBalancerArn=balancer, Protocol="HTTP", Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": groups["frontend"]}],
        )["Listeners"][0]["ListenerArn"]  # fmt: skip
        yield {"client": client, "listener": listener, "groups": groups, "recorder": Recorder(client)}


def api_rule(alb, priority=10, path="/api/*"):
    return {
        "priority": priority,
        "conditions": [{"Field": "path-pattern", "Values": [path]}],
        "actions": [{"Type": "forward", "TargetGroupArn": alb["groups"]["backend"]}],
        "tags": {"blueprint:stack": "web"},
    }


def health_rule():
    return {
        "priority": 20,
        "conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/internal/*", "/admin/*"]}}],
        "actions": [{"Type": "fixed-response",
                     "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "no"}}],
    }  # fmt: skip


def redirect_rule():
    return {
        "priority": 30,
        "conditions": [{"Field": "host-header", "HostHeaderConfig": {"Values": ["old.example.com"]}}],
        "actions": [{"Type": "redirect", "RedirectConfig": {"Host": "www.example.com", "StatusCode": "HTTP_301"}}],
    }


def aws_rules(alb) -> list[dict]:
    rules = alb["client"].describe_rules(ListenerArn=alb["listener"])["Rules"]
    return sorted((rule for rule in rules if not rule["IsDefault"]), key=lambda rule: int(rule["Priority"]))


def run(run_module, alb, rules, **args):
    options = dict(args)
    check_mode = options.pop("check_mode", False)
    return run_module(module, dict(options, listener_arn=alb["listener"], rules=rules), alb["client"],
                      check_mode=check_mode, diff=True)  # fmt: skip


# --- moto: the rule set's life ----------------------------------------------------------------------------


def test_check_mode_predicts_the_rules_and_creates_nothing(run_module, alb):
    outcome = run(run_module, alb, [api_rule(alb), health_rule()], check_mode=True)

    assert not outcome.failed and outcome.result["changed"], outcome.result
    assert alb["recorder"].writes == []
    assert aws_rules(alb) == []
    predicted = outcome.result["rules"]
    assert [rule["priority"] for rule in predicted] == [10, 20]
    assert "rule_arn" not in predicted[0]
    assert predicted[0]["conditions"] == [{"field": "path-pattern", "path_pattern_config": {"values": ["/api/*"]}}]
    assert predicted[0]["tags"] == {"blueprint:stack": "web"}
    assert outcome.result["diff"]["before"] == {"rules": []}
    assert [rule["priority"] for rule in outcome.result["diff"]["after"]["rules"]] == [10, 20]


def test_create_then_rerun_changes_nothing(run_module, alb):
    rules = [api_rule(alb), health_rule(), redirect_rule()]
    first = run(run_module, alb, rules)

    assert not first.failed and first.result["changed"], first.result
    assert alb["recorder"].writes == ["CreateRule", "CreateRule", "CreateRule"]
    stored = aws_rules(alb)
    assert [rule["Priority"] for rule in stored] == ["10", "20", "30"]
    # The emulator answers as AWS does: both forms of the condition, Order, ForwardConfig, redirect defaults.
    assert stored[0]["Conditions"][0]["PathPatternConfig"] == {"Values": ["/api/*"]}
    assert stored[0]["Actions"][0]["ForwardConfig"]["TargetGroups"][0]["Weight"] == 1
    assert stored[2]["Actions"][0]["RedirectConfig"]["Path"] == "/#{path}"
    assert [rule["rule_arn"] for rule in first.result["rules"]] == [rule["RuleArn"] for rule in stored]
    assert first.result["rules"][0]["tags"] == {"blueprint:stack": "web"}
    assert first.result["listener_arn"] == alb["listener"]

    alb["recorder"].operations.clear()
    second = run(run_module, alb, rules)

    assert not second.failed and not second.result["changed"], second.result["diff"]
    assert alb["recorder"].writes == []
    assert second.result["rules"] == first.result["rules"]
    assert second.result["diff"]["before"] == second.result["diff"]["after"]


def test_modify_in_place_keeps_the_rule(run_module, alb):
    run(run_module, alb, [api_rule(alb)])
    [before] = aws_rules(alb)
    alb["recorder"].operations.clear()

    changed_rule = api_rule(alb, path="/v2/*")
    outcome = run(run_module, alb, [changed_rule])

    assert outcome.result["changed"]
    assert alb["recorder"].writes == ["ModifyRule"]
    [after] = aws_rules(alb)
    assert after["RuleArn"] == before["RuleArn"]
    assert after["Conditions"][0]["Values"] == ["/v2/*"]
    diff = outcome.result["diff"]
    assert diff["before"]["rules"][0]["conditions"] == [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}
    ]
    assert diff["after"]["rules"][0]["conditions"] == [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/v2/*"]}}
    ]


def test_a_rule_whose_priority_alone_changes_is_moved(run_module, alb):
    run(run_module, alb, [api_rule(alb)])
    [before] = aws_rules(alb)
    alb["recorder"].operations.clear()

    outcome = run(run_module, alb, [api_rule(alb, priority=15)])

    assert outcome.result["changed"]
    assert alb["recorder"].writes == ["SetRulePriorities"]
    [after] = aws_rules(alb)
    assert (after["RuleArn"], after["Priority"]) == (before["RuleArn"], "15")
    assert outcome.result["rules"][0]["priority"] == 15


def test_purge_deletes_unlisted_rules_and_purge_rules_false_keeps_them(run_module, alb):
    run(run_module, alb, [api_rule(alb), health_rule()])
    alb["recorder"].operations.clear()

    kept = run(run_module, alb, [api_rule(alb)], purge_rules=False)
    assert not kept.result["changed"] and alb["recorder"].writes == []
    assert [rule["priority"] for rule in kept.result["rules"]] == [10, 20]

    purged = run(run_module, alb, [api_rule(alb)])
    assert purged.result["changed"]
    assert alb["recorder"].writes == ["DeleteRule"]
    assert [rule["Priority"] for rule in aws_rules(alb)] == ["10"]

    emptied = run(run_module, alb, [])
    assert emptied.result["changed"] and emptied.result["rules"] == []
    assert aws_rules(alb) == []
    # The default rule stays.
    assert [rule["IsDefault"] for rule in alb["client"].describe_rules(ListenerArn=alb["listener"])["Rules"]] == [True]


def test_tags_are_purged_or_merged_and_left_alone_without_tags(run_module, alb):
    run(run_module, alb, [api_rule(alb)])
    arn = aws_rules(alb)[0]["RuleArn"]

    def tags():
        description = alb["client"].describe_tags(ResourceArns=[arn])["TagDescriptions"][0]
        return {tag["Key"]: tag["Value"] for tag in description["Tags"]}

    merged = run(run_module, alb, [dict(api_rule(alb), tags={"team": "api"})], purge_tags=False)
    assert merged.result["changed"] and tags() == {"blueprint:stack": "web", "team": "api"}

    purged = run(run_module, alb, [dict(api_rule(alb), tags={"team": "api"})])
    assert purged.result["changed"] and tags() == {"team": "api"}

    untouched = run(run_module, alb, [dict(api_rule(alb), tags=None)])
    assert not untouched.result["changed"] and tags() == {"team": "api"}


def test_target_group_names_are_resolved_and_a_missing_one_fails(run_module, alb):
    by_name = dict(api_rule(alb), actions=[{"Type": "forward", "TargetGroupName": "backend"}])
    created = run(run_module, alb, [by_name])
    assert created.result["changed"]
    assert aws_rules(alb)[0]["Actions"][0]["TargetGroupArn"] == alb["groups"]["backend"]
    # The same rule by ARN is no change.
    assert not run(run_module, alb, [api_rule(alb)]).result["changed"]

    missing = run(run_module, alb, [dict(api_rule(alb), actions=[{"Type": "forward", "TargetGroupName": "nope"}])])
    assert missing.failed and "no target group is named nope" in missing.result["msg"]


def test_weighted_forward_and_several_actions_compare_unchanged(run_module, alb):
    weighted = dict(api_rule(alb), actions=[{
        "Type": "forward",
        "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": alb["groups"]["backend"], "Weight": 90},
                                           {"TargetGroupArn": alb["groups"]["frontend"], "Weight": 10}]},
    }])  # fmt: skip
    assert run(run_module, alb, [weighted]).result["changed"]
    alb["recorder"].operations.clear()
    again = run(run_module, alb, [weighted])
    assert not again.result["changed"], again.result["diff"]
    assert alb["recorder"].writes == []


def test_a_missing_listener_fails_naming_it(run_module, alb):
    gone = alb["listener"][:-4] + "0000"
    outcome = run_module(module, {"listener_arn": gone, "rules": []}, alb["client"])
    assert outcome.failed and f"listener_arn: there is no listener {gone}" in outcome.result["msg"]


# --- bad input: refused before any API call -----------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, message",
    [
        ({"priority": 0}, "rules[0].priority must be 1 to 50000, not 0"),
        ({"conditions": []}, "conditions must list at least one condition"),
        ({"conditions": [{"Field": "path", "Values": ["/"]}]}, "Field must be one of host-header"),
        ({"conditions": [{"Field": "source-ip", "Values": ["10.0.0.0/8"]}]}, "Values is for host-header and path-pattern"),
        ({"conditions": [{"Field": "path-pattern", "Values": ["/a"], "PathPatternConfig": {"Values": ["/a"]}}]},
         "give either Values or PathPatternConfig"),
        ({"conditions": [{"Field": "path-pattern", "Values": ["/a", "/b"]}]}, "give several in PathPatternConfig"),
        ({"actions": []}, "actions must list at least one action"),
        ({"actions": [{"Type": "forward"}]}, "forward needs TargetGroupArn, TargetGroupName or ForwardConfig"),
        ({"actions": [{"Type": "redirect", "RedirectConfig": {"StatusCode": "301"}}]}, "HTTP_301 or HTTP_302"),
        ({"actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "302"}}]}, "2XX, 4XX or 5XX"),
        ({"actions": [{"Type": "teleport"}]}, "Type must be one of forward"),
    ],
)  # fmt: skip
def test_bad_rules_fail_before_any_call(run_module, rule, message):
    client = elbv2_client()
    base = {"priority": 10, "conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}],
            "actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]}  # fmt: skip
    with Stubber(client) as stubber:
        outcome = run_module(module, {"listener_arn": "arn:aws:elasticloadbalancing:l", "rules": [dict(base, **rule)]},
                             client)  # fmt: skip
        stubber.assert_no_pending_responses()
    assert outcome.failed and message in outcome.result["msg"], outcome.result["msg"]


def test_duplicate_priorities_and_a_missing_priority_are_refused(run_module):
    client = elbv2_client()
    rule = {"priority": 10, "conditions": [{"Field": "path-pattern", "Values": ["/a"]}],
            "actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]}  # fmt: skip
    with Stubber(client):
        twice = run_module(module, {"listener_arn": "arn:aws:x", "rules": [rule, rule]}, client)
        assert twice.failed and "priority 10 is listed twice" in twice.result["msg"]
        missing = run_module(
            module, {"listener_arn": "arn:aws:x", "rules": [{"conditions": [], "actions": []}]}, client
        )
        assert missing.failed and "priority" in missing.result["msg"]


# --- Stubber: AWS's own answer shape ---------------------------------------------------------------------------

LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
RULE = LISTENER.replace(":listener/", ":listener-rule/") + "/9683b2d02a6cabee"
GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/73e2d6bc24d8a067"


def aws_answer(priority="10"):
    """A DescribeRules answer as AWS gives it for a rule created with Values and TargetGroupArn."""
    return {"Rules": [
        {"RuleArn": RULE, "Priority": priority, "IsDefault": False,
         "Conditions": [{"Field": "path-pattern", "Values": ["/api/*"], "PathPatternConfig": {"Values": ["/api/*"]}}],
         "Actions": [{"Type": "forward", "TargetGroupArn": GROUP, "Order": 1,
                      "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": GROUP, "Weight": 1}],
                                        "TargetGroupStickinessConfig": {"Enabled": False}}}]},
        {"RuleArn": RULE[:-4] + "0000", "Priority": "default", "IsDefault": True, "Conditions": [],
         "Actions": [{"Type": "fixed-response", "Order": 1, "FixedResponseConfig": {"StatusCode": "404"}}]},
    ]}  # fmt: skip


def test_aws_answer_shape_is_no_change(run_module):
    client = elbv2_client()
    with Stubber(client) as stubber:
        stubber.add_response("describe_rules", aws_answer(), {"ListenerArn": LISTENER})
        tagged = {"TagDescriptions": [{"ResourceArn": RULE, "Tags": [{"Key": "a", "Value": "b"}]}]}
        stubber.add_response("describe_tags", tagged,
                             {"ResourceArns": [RULE]})  # fmt: skip
        rule = {"priority": 10, "conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}],
                "actions": [{"Type": "forward", "TargetGroupArn": GROUP}]}  # fmt: skip
        outcome = run_module(module, {"listener_arn": LISTENER, "rules": [rule]}, client)
        stubber.assert_no_pending_responses()
    assert not outcome.failed and not outcome.result["changed"], outcome.result
    assert outcome.result["rules"][0]["rule_arn"] == RULE


def test_the_calls_of_a_move_a_create_and_a_delete(run_module):
    """The rule at 10 moves to 15, a rule at 20 is created, the one at 30 deleted; the default rule is untouched."""
    client = elbv2_client()
    other = RULE[:-4] + "1111"
    answer = aws_answer()
    answer["Rules"].insert(1, {"RuleArn": other, "Priority": "30", "IsDefault": False,
                               "Conditions": [{"Field": "host-header", "Values": ["a.example.com"],
                                               "HostHeaderConfig": {"Values": ["a.example.com"]}}],
                               "Actions": [{"Type": "fixed-response", "Order": 1,
                                            "FixedResponseConfig": {"StatusCode": "503"}}]})  # fmt: skip
    moved = {"priority": 15, "conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}],
             "actions": [{"Type": "forward", "TargetGroupArn": GROUP}]}  # fmt: skip
    created = {"priority": 20, "conditions": [{"Field": "path-pattern", "Values": ["/health"]}],
               "actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]}  # fmt: skip
    with Stubber(client) as stubber:
        stubber.add_response("describe_rules", answer, {"ListenerArn": LISTENER})
        stubber.add_response("describe_tags", {"TagDescriptions": []}, {"ResourceArns": [RULE, other]})
        stubber.add_response(
            "set_rule_priorities", {"Rules": []}, {"RulePriorities": [{"RuleArn": RULE, "Priority": 15}]}
        )
        stubber.add_response("create_rule", {"Rules": [{"RuleArn": RULE[:-4] + "2222"}]},
                             {"ListenerArn": LISTENER, "Priority": 20, "Conditions": created["conditions"],
                              "Actions": [dict(created["actions"][0], Order=1)]})  # fmt: skip
        stubber.add_response("delete_rule", {}, {"RuleArn": other})
        stubber.add_response("describe_rules", aws_answer("15"), {"ListenerArn": LISTENER})
        stubber.add_response("describe_tags", {"TagDescriptions": []}, {"ResourceArns": ANY})
        outcome = run_module(module, {"listener_arn": LISTENER, "rules": [moved, created]}, client)
        stubber.assert_no_pending_responses()
    assert not outcome.failed and outcome.result["changed"], outcome.result
