# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The webapp stack (seed 001) on the emulator, cloud side: one converge of every layer into an existing public
hosted zone (the certificate issued once its validation records are there, HTTP redirecting to HTTPS, /api/* to the
backend's target group, the name an alias of the ALB with a health check, both tiers' groups registered), a re-run
that changes nothing, and a confirmed tear-down that leaves nothing but the zone. RDS and the uploads bucket have
their own files (test_rds.py, test_storage.py) for their keep-the-data tear-downs; bad input is refused here
before any AWS call."""

from __future__ import annotations

import json

import pytest

INVENTORY = "inventories/webapp"
ADMIN = {"webapp_admin_cidrs": ["198.51.100.7/32"]}
ZONE = "example.com"
DOMAIN = "webapp.example.com"


def zone_records(route53, zone_id: str) -> list[dict]:
    return route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]


def test_converge_rerun_and_teardown(playbook, aws, tmp_path):
    route53, acm, elbv2, ec2 = aws.client("route53"), aws.client("acm"), aws.client("elbv2"), aws.client("ec2")
    autoscaling = aws.client("autoscaling")
    zone_id = route53.create_hosted_zone(Name=ZONE, CallerReference="test-webapp-stack")["HostedZone"]["Id"]
    outputs_file = tmp_path / "outputs.json"
    common = {**ADMIN, "outputs_file": str(outputs_file), "compute_key_dir": str(tmp_path / "keys")}

    converge = playbook("site.yml", inventory=INVENTORY, extra_vars=common)
    assert converge.returncode == 0, converge.failure_messages() or converge.stderr[-2000:]

    # The certificate: issued by DNS validation in the zone, for the site's name.
    [summary] = acm.list_certificates()["CertificateSummaryList"]
    certificate = acm.describe_certificate(CertificateArn=summary["CertificateArn"])["Certificate"]
    assert (certificate["DomainName"], certificate["Status"], certificate["Type"]) == (DOMAIN, "ISSUED", "AMAZON_ISSUED")
    validation = certificate["DomainValidationOptions"][0]["ResourceRecord"]
    records = {(r["Name"].rstrip("."), r["Type"]): r for r in zone_records(route53, zone_id)}
    assert records[(validation["Name"].rstrip("."), "CNAME")]["ResourceRecords"] == [{"Value": validation["Value"]}]

    # The ALB: HTTP redirects to HTTPS; HTTPS (TLS 1.2/1.3, the issued certificate) sends /api/* to the backend
    # and everything else to the frontend.
    [alb] = elbv2.describe_load_balancers(Names=["webapp-web"])["LoadBalancers"]
    assert alb["Scheme"] == "internet-facing"
    groups = {tg["TargetGroupName"]: tg for tg in elbv2.describe_target_groups()["TargetGroups"]}
    assert {name: (tg["Port"], tg["HealthCheckPath"]) for name, tg in groups.items()} == {
        "webapp-frontend": (3000, "/"), "webapp-backend": (9999, "/api/health")}
    listeners = {item["Port"]: item for item in elbv2.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]}
    assert sorted(listeners) == [80, 443]
    assert listeners[80]["DefaultActions"][0]["Type"] == "redirect"
    assert listeners[80]["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    secure = listeners[443]
    assert secure["Certificates"] == [{"CertificateArn": certificate["CertificateArn"]}]
    assert secure["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert secure["DefaultActions"][0]["TargetGroupArn"] == groups["webapp-frontend"]["TargetGroupArn"]
    rules = [rule for rule in elbv2.describe_rules(ListenerArn=secure["ListenerArn"])["Rules"] if not rule["IsDefault"]]
    assert [(rule["Priority"], rule["Conditions"][0]["Field"], rule["Actions"][0]["TargetGroupArn"]) for rule in rules] == [
        ("10", "path-pattern", groups["webapp-backend"]["TargetGroupArn"])]
    condition = rules[0]["Conditions"][0]
    assert condition.get("PathPatternConfig", {}).get("Values", condition.get("Values")) == ["/api/*"]

    # The name: an alias of the ALB, and a health check of the whole path through /api/health.
    alias = records[(DOMAIN, "A")]["AliasTarget"]
    assert alias["DNSName"].rstrip(".").lower() == alb["DNSName"].lower() and alias["EvaluateTargetHealth"] is True
    [check] = route53.list_health_checks()["HealthChecks"]
    config = check["HealthCheckConfig"]
    assert (config["Type"], config["FullyQualifiedDomainName"], config["ResourcePath"], config["Port"]) == (
        "HTTPS", DOMAIN, "/api/health", 443)

    # Both tiers: a group each in the public subnets, registered with its target group, IMDSv2 templates.
    by_name = {g["AutoScalingGroupName"]: g for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]}
    assert sorted(by_name) == ["webapp-backend", "webapp-frontend"]
    for tier in ("frontend", "backend"):
        group = by_name[f"webapp-{tier}"]
        assert group["TargetGroupARNs"] == [groups[f"webapp-{tier}"]["TargetGroupArn"]]
        template = ec2.describe_launch_template_versions(LaunchTemplateName=f"webapp-{tier}", Versions=["$Latest"])
        data = template["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        assert data["MetadataOptions"]["HttpTokens"] == "required" and data["InstanceType"] == "t3.medium"
        assert data["IamInstanceProfile"]["Arn"].endswith(f":instance-profile/webapp-{tier}")

    outputs = json.loads(outputs_file.read_text())["outputs"]
    assert outputs["url"] == f"https://{DOMAIN}" and outputs["alb_dns_name"] == alb["DNSName"]
    assert outputs["certificate_arn"] == certificate["CertificateArn"] and outputs["health_check_id"] == check["Id"]
    assert outputs["rds_endpoint"] and outputs["uploads_bucket"] == "webapp-uploads-123456789012"

    again = playbook("site.yml", inventory=INVENTORY, extra_vars=common)
    assert again.returncode == 0, again.failure_messages()
    assert again.changed == 0, again.changed_tasks()

    down = playbook("teardown.yml", inventory=INVENTORY, extra_vars={**common, "blueprint_confirm_data_destruction": True})
    assert down.returncode == 0, down.failure_messages()
    assert acm.list_certificates()["CertificateSummaryList"] == []
    assert route53.list_health_checks()["HealthChecks"] == []
    assert sorted(r["Type"] for r in zone_records(route53, zone_id)) == ["NS", "SOA"]
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"] == []
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []


HTTPS = {"protocol": "HTTPS", "port": 443, "certificate": "web", "default_action": {"type": "forward", "target_group": "frontend"}}


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"webapp_domain": "www.example.org"},
         "certificate_certificates[0] (web).domain: www.example.org is outside the hosted zone example.com"),
        ({"dns_records": [{"name": "web", "zone": "example.com", "record": "shop.example.net", "alb": "web"}]},
         "dns_records[0] (web).record: shop.example.net is outside the hosted zone example.com"),
        ({"loadbalancer_albs": [{"name": "web", "vpc": "webapp", "security_groups": ["alb"], "listeners": [
            {**HTTPS, "rules": [{"priority": 10, "paths": ["/api/*"], "target_group": "api"}]}]}]},
         "loadbalancer_albs[0] (web).listeners[0] (HTTPS:443).rules[0].target_group: no target group named api"),
        ({"loadbalancer_albs": [{"name": "web", "vpc": "webapp", "security_groups": ["alb"], "listeners": [
            {**HTTPS, "certificate": "site"}]}]},
         "loadbalancer_albs[0] (web).listeners[0] (HTTPS:443).certificate: no certificate named site"),
        ({"loadbalancer_albs": [{"name": "web", "vpc": "webapp", "security_groups": ["alb"], "listeners": [
            {**HTTPS, "rules": [{"priority": 10, "target_group": "backend"}]}]}]},
         "loadbalancer_albs[0] (web).listeners[0] (HTTPS:443).rules[0]: give paths or hosts"),
        ({"webapp_backend_port": 3000},
         "webapp_frontend_port and webapp_backend_port are both 3000"),
    ],
    ids=["domain-outside-the-zone", "record-outside-the-zone", "rule-to-an-unknown-group", "unknown-certificate",
         "rule-without-a-condition", "frontend-and-backend-on-one-port"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused({**ADMIN, **extra_vars}, expected, inventory=INVENTORY)
