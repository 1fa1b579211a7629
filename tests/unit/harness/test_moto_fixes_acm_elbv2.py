# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's ACM and ELBv2 listener-rule fixes make moto answer as AWS does (checked against botocore's model)."""

from __future__ import annotations

import boto3
import botocore.session
import moto_fixes
import pytest
from moto import mock_aws

REGION = "us-east-1"


def client(service: str):
    return boto3.client(service, region_name=REGION)


@pytest.fixture
def aws():
    moto_fixes.apply()
    with mock_aws():
        yield


def _network():
    ec2, elbv2 = client("ec2"), client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"][
        "SubnetId"] for n, zone in ((1, "a"), (2, "b"))]  # fmt: skip
    balancer = elbv2.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    return vpc, balancer


# --- ACM --------------------------------------------------------------------------------------------------------


def test_requested_certificate_keeps_its_key_algorithm_and_name_order(aws):
    assert "EC_prime256v1" in botocore.session.get_session().get_service_model("acm").shape_for("KeyAlgorithm").enum
    acm = client("acm")
    arn = acm.request_certificate(DomainName="a.example.com", SubjectAlternativeNames=["z.example.com", "b.example.com"],
                                  KeyAlgorithm="EC_prime256v1")["CertificateArn"]  # fmt: skip
    certificate = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert certificate["KeyAlgorithm"] == "EC_prime256v1"
    assert certificate["SubjectAlternativeNames"] == ["a.example.com", "z.example.com", "b.example.com"]
    assert [option["DomainName"] for option in certificate["DomainValidationOptions"]] == certificate[
        "SubjectAlternativeNames"
    ]
    # Not issued yet: no validity period, serial or issue date.
    assert not {"NotBefore", "NotAfter", "IssuedAt", "Serial"} & set(certificate)


def test_email_validation_lists_mailboxes_and_no_records(aws):
    acm = client("acm")
    arn = acm.request_certificate(DomainName="*.example.com", ValidationMethod="EMAIL")["CertificateArn"]
    [option] = acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"]
    assert option["ValidationMethod"] == "EMAIL" and "ResourceRecord" not in option
    assert "admin@example.com" in option["ValidationEmails"]


def test_dns_validated_certificate_is_issued_once_its_records_are_in_route53_and_not_before(aws, monkeypatch):
    from moto import settings  # pylint: disable=import-outside-toplevel

    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", -1)  # moto's own timer would have issued it already
    acm, route53 = client("acm"), client("route53")
    arn = acm.request_certificate(DomainName="example.com", SubjectAlternativeNames=["*.example.com"])["CertificateArn"]
    certificate = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert certificate["Status"] == "PENDING_VALIDATION"

    zone = route53.create_hosted_zone(Name="example.com", CallerReference="r")["HostedZone"]["Id"]
    records = {
        (o["ResourceRecord"]["Name"], o["ResourceRecord"]["Value"]) for o in certificate["DomainValidationOptions"]
    }
    assert len(records) == 1  # the wildcard shares the apex's record
    name, value = records.pop()
    record = {"Name": name, "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": value}]}
    route53.change_resource_record_sets(HostedZoneId=zone,
                                        ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]})

    issued = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert issued["Status"] == "ISSUED" and "NotAfter" in issued
    assert {option["ValidationStatus"] for option in issued["DomainValidationOptions"]} == {"SUCCESS"}


def test_in_use_by_follows_the_listeners_and_delete_refuses_while_in_use(aws):
    acm, elbv2 = client("acm"), client("elbv2")
    assert "ResourceInUseException" in [
        shape.name for shape in botocore.session.get_session().get_service_model("acm")
        .operation_model("DeleteCertificate").error_shapes
    ]  # fmt: skip
    arn = acm.request_certificate(DomainName="example.com")["CertificateArn"]
    _vpc, balancer = _network()
    listener = elbv2.create_listener(
        LoadBalancerArn=balancer, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": arn}],
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
    )["Listeners"][0]["ListenerArn"]  # fmt: skip
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == [balancer]
    with pytest.raises(acm.exceptions.ResourceInUseException):
        acm.delete_certificate(CertificateArn=arn)

    elbv2.delete_listener(ListenerArn=listener)
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == []
    acm.delete_certificate(CertificateArn=arn)
    assert acm.list_certificates()["CertificateSummaryList"] == []


# --- ELBv2 listener rules ---------------------------------------------------------------------------------------


def test_rules_come_back_as_aws_keeps_them(aws):
    elbv2 = client("elbv2")
    vpc, balancer = _network()
    group = elbv2.create_target_group(Name="api", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0][
        "TargetGroupArn"
    ]
    listener = elbv2.create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
    )["Listeners"][0]["ListenerArn"]
    created = elbv2.create_rule(
        ListenerArn=listener, Priority=10, Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": group}],
    )["Rules"][0]  # fmt: skip
    assert created["Conditions"] == [{"Field": "path-pattern", "Values": ["/api/*"],
                                      "PathPatternConfig": {"Values": ["/api/*"]}}]  # fmt: skip
    assert created["Actions"] == [{
        "Type": "forward", "TargetGroupArn": group, "Order": 1,
        "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": group, "Weight": 1}],
                          "TargetGroupStickinessConfig": {"Enabled": False}},
    }]  # fmt: skip

    elbv2.modify_rule(
        RuleArn=created["RuleArn"],
        Conditions=[{"Field": "host-header", "HostHeaderConfig": {"Values": ["old.example.com"]}}],
        Actions=[{"Type": "redirect", "RedirectConfig": {"Host": "new.example.com", "StatusCode": "HTTP_301"}}],
    )  # fmt: skip
    [rule] = [rule for rule in elbv2.describe_rules(ListenerArn=listener)["Rules"] if not rule["IsDefault"]]
    assert rule["Conditions"] == [{"Field": "host-header", "Values": ["old.example.com"],
                                   "HostHeaderConfig": {"Values": ["old.example.com"]}}]  # fmt: skip
    assert rule["Actions"] == [{"Type": "redirect", "Order": 1, "RedirectConfig": {
        "Protocol": "#{protocol}", "Port": "#{port}", "Host": "new.example.com", "Path": "/#{path}",
        "Query": "#{query}", "StatusCode": "HTTP_301"}}]  # fmt: skip
