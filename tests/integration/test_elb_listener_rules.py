# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.elb_listener_rules through ansible-playbook against the emulator, next to amazon.aws.elb_application_lb.

The playbook asserts each step itself (check mode, changed, not changed, the refused rule, elb_application_lb leaving
the rules alone); this test builds the network and target groups, checks the run and what the emulator holds.
"""

from __future__ import annotations

PLAYBOOK = "tests/integration/playbooks/elb_listener_rules.yml"


def network(aws) -> dict:
    """A VPC with two subnets in two AZs, a security group, and the frontend and backend target groups of seed 001."""
    ec2, elbv2 = aws.client("ec2"), aws.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"ap-northeast-2{zone}")["Subnet"][
            "SubnetId"]
        for n, zone in ((1, "a"), (2, "c"))
    ]  # fmt: skip
    security_group = ec2.create_security_group(GroupName="rules-alb", Description="ALB", VpcId=vpc)["GroupId"]
    groups = {
        name: elbv2.create_target_group(Name=name, Protocol="HTTP", Port=port, VpcId=vpc)["TargetGroups"][0][
            "TargetGroupArn"]
        for name, port in (("rules-frontend", 3000), ("rules-backend", 9999))
    }  # fmt: skip
    return {
        "rules_subnet_ids": subnets,
        "rules_security_group_ids": [security_group],
        "rules_frontend_group": "rules-frontend",
        "rules_backend_group": "rules-backend",
        "rules_backend_group_arn": groups["rules-backend"],
    }


def test_rules_life_cycle_next_to_elb_application_lb(playbook, aws):
    run = playbook(PLAYBOOK, extra_vars=network(aws))

    assert run.returncode == 0, run.failure_messages() or run.stderr[-3000:]
    changed = run.changed_tasks()
    assert changed == [
        "Ensure the load balancer has its HTTP listener, forwarding to the frontend, without rules",
        "Ensure the listener routes /api/* to the backend (check mode)",
        "Ensure the listener routes /api/* to the backend",
        "Ensure /api/* goes first, /debug/* is hidden too and the old host is no longer redirected (check mode)",
        "Ensure /api/* goes first, /debug/* is hidden too and the old host is no longer redirected",
        "Ensure the listener has no rules left (check mode)",
        "Ensure the listener has no rules left",
    ]
    elbv2 = aws.client("elbv2")
    [balancer] = elbv2.describe_load_balancers(Names=["rules-integration"])["LoadBalancers"]
    [listener] = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    rules = elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
    assert [rule["IsDefault"] for rule in rules] == [True]  # only the default rule is left


def test_check_diff_run_predicts_and_changes_nothing(playbook, aws):
    """ansible-playbook --check --diff over existing rules: the update is reported, nothing on the emulator moves."""
    extra_vars = network(aws)
    created = playbook(PLAYBOOK, "--tags", "create", extra_vars=extra_vars)
    assert created.returncode == 0, created.failure_messages() or created.stderr[-3000:]
    elbv2 = aws.client("elbv2")
    [balancer] = elbv2.describe_load_balancers(Names=["rules-integration"])["LoadBalancers"]
    [listener] = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    before = elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]

    checked = playbook(PLAYBOOK, "--check", "--diff", "--tags", "update", "--skip-tags", "assert",
                       extra_vars=extra_vars)  # fmt: skip

    assert checked.returncode == 0, checked.failure_messages() or checked.stderr[-3000:]
    [update] = checked.task_results("no longer redirected, again")
    assert update["changed"] and update["diff"]["after"]["rules"][0]["priority"] == 5
    assert elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] == before
