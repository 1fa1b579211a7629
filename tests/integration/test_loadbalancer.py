# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lattice stack's loadbalancer layer on the emulator: converge, re-run, check, HTTPS, tear down."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# The network and security layers are prerequisites: converged once, then only this layer runs.
WITH_PREREQUISITES = ("--tags", "network,security,loadbalancer")
ONLY = ("--tags", "loadbalancer")
TG_ARN_PREFIX = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/"


def stack_albs(elbv2) -> dict[str, dict]:
    return {lb["LoadBalancerName"]: lb for lb in elbv2.describe_load_balancers()["LoadBalancers"]}


def stack_target_groups(elbv2) -> dict[str, dict]:
    return {tg["TargetGroupName"]: tg for tg in elbv2.describe_target_groups()["TargetGroups"]}


def listeners_by_port(elbv2, alb: dict) -> dict[int, dict]:
    found = elbv2.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]
    return {listener["Port"]: listener for listener in found}


def attributes(elbv2, alb: dict) -> dict[str, str]:
    found = elbv2.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])["Attributes"]
    return {attribute["Key"]: attribute["Value"] for attribute in found}


def import_certificate(acm) -> str:
    """A self-signed certificate in the emulator's ACM, as a stand-in for an issued one."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "consumer.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256())
    )  # fmt: skip
    return acm.import_certificate(
        Certificate=certificate.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()),
    )["CertificateArn"]  # fmt: skip


def test_converge_rerun_check_https_and_teardown(playbook, aws):
    ec2 = aws.client("ec2")
    elbv2 = aws.client("elbv2")

    first = playbook("site.yml", *WITH_PREREQUISITES)
    assert first.returncode == 0, first.failure_messages() or first.stderr

    vpcs = {vpc["CidrBlock"]: vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")}
    consumer_vpc, service_vpc = vpcs["172.168.0.0/16"], vpcs["10.0.0.0/16"]

    def subnet_ids(vpc_id: str, public: bool) -> list[str]:
        found = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
        return sorted(subnet["SubnetId"] for subnet in found if subnet["MapPublicIpOnLaunch"] == public)

    groups = {group["GroupName"]: group["GroupId"] for group in ec2.describe_security_groups()["SecurityGroups"]}

    target_groups = stack_target_groups(elbv2)
    assert sorted(target_groups) == ["lattice-app-server", "lattice-consumer-app"]
    for name, vpc_id in (("lattice-consumer-app", consumer_vpc), ("lattice-app-server", service_vpc)):
        group = target_groups[name]
        assert (group["VpcId"], group["Protocol"], group["Port"], group["TargetType"]) == (vpc_id, "HTTP", 8000, "instance")
        health = (group["HealthCheckPath"], group["Matcher"], group["HealthCheckPort"])
        assert health == ("/health", {"HttpCode": "200"}, "traffic-port")
        draining = elbv2.describe_target_group_attributes(TargetGroupArn=group["TargetGroupArn"])["Attributes"]
        assert {"Key": "deregistration_delay.timeout_seconds", "Value": "30"} in draining

    albs = stack_albs(elbv2)
    assert sorted(albs) == ["lattice-consumer", "lattice-service"]
    consumer, service = albs["lattice-consumer"], albs["lattice-service"]
    assert (consumer["Scheme"], consumer["VpcId"]) == ("internet-facing", consumer_vpc)
    assert sorted(zone["SubnetId"] for zone in consumer["AvailabilityZones"]) == subnet_ids(consumer_vpc, public=True)
    assert consumer["SecurityGroups"] == [groups["lattice-consumer-alb"]]
    assert (service["Scheme"], service["VpcId"]) == ("internal", service_vpc)
    assert sorted(zone["SubnetId"] for zone in service["AvailabilityZones"]) == subnet_ids(service_vpc, public=False)
    assert service["SecurityGroups"] == [groups["lattice-service-alb"]]
    for alb in (consumer, service):
        settings = attributes(elbv2, alb)
        assert settings["routing.http.drop_invalid_header_fields.enabled"] == "true"
        assert settings["deletion_protection.enabled"] == "false"
        assert settings["idle_timeout.timeout_seconds"] == "60"

    # Without a certificate the consumer ALB serves HTTP only, forwarding to its target group.
    consumer_listeners = listeners_by_port(elbv2, consumer)
    assert list(consumer_listeners) == [80]
    assert consumer_listeners[80]["DefaultActions"] == [
        {"Type": "forward", "TargetGroupArn": target_groups["lattice-consumer-app"]["TargetGroupArn"]}]
    service_listeners = listeners_by_port(elbv2, service)
    assert list(service_listeners) == [80] and service_listeners[80]["Protocol"] == "HTTP"
    assert service_listeners[80]["DefaultActions"][0]["TargetGroupArn"] == target_groups["lattice-app-server"]["TargetGroupArn"]

    # What the compute and lattice layers read.
    published = first.task_results("Publish load balancer ARNs")[-1]["ansible_facts"]
    assert published["loadbalancer_arns"] == {"consumer": consumer["LoadBalancerArn"], "service": service["LoadBalancerArn"]}
    assert published["loadbalancer_dns_names"] == {"consumer": consumer["DNSName"], "service": service["DNSName"]}
    assert published["loadbalancer_target_group_arns"] == {
        "consumer-app": target_groups["lattice-consumer-app"]["TargetGroupArn"],
        "app-server": target_groups["lattice-app-server"]["TargetGroupArn"]}

    second = playbook("site.yml", *ONLY)
    assert second.returncode == 0, second.failure_messages()
    assert second.changed == 0, second.changed_tasks()

    # Check mode with a new health-check path and a certificate predicts both changes and alters nothing.
    certificate = import_certificate(aws.client("acm"))
    changed_groups = [
        {"name": "consumer-app", "vpc": "consumer", "port": 8000, "health_check": {"path": "/healthz"}},
        {"name": "app-server", "vpc": "service", "port": 8000, "health_check": {"path": "/health"}},
    ]
    check = playbook("site.yml", *ONLY, "--check", "--diff",
                     extra_vars={"loadbalancer_target_groups": changed_groups, "lattice_certificate_arn": certificate})
    assert check.returncode == 0, check.failure_messages()
    predicted = {item["item"]["item"]["name"]: item for item in check.task_results("Predict what converging")[0]["results"]}
    assert predicted["consumer-app"]["changed"] and '"/health" -> "/healthz"' in predicted["consumer-app"]["msg"]
    assert not predicted["app-server"]["changed"]
    alb_check = {item["item"]["name"]: item for item in check.task_results("Ensure the load balancers exist")[0]["results"]}
    assert alb_check["consumer"]["changed"] and not alb_check["service"]["changed"]
    assert stack_target_groups(elbv2)["lattice-consumer-app"]["HealthCheckPath"] == "/health"
    assert list(listeners_by_port(elbv2, consumer)) == [80]

    # With a certificate: HTTPS on 443 under a TLS 1.2/1.3 policy, and HTTP redirects there.
    https = playbook("site.yml", *ONLY, extra_vars={"lattice_certificate_arn": certificate})
    assert https.returncode == 0, https.failure_messages()
    consumer_listeners = listeners_by_port(elbv2, consumer)
    assert sorted(consumer_listeners) == [80, 443]
    assert consumer_listeners[80]["DefaultActions"] == [{"Type": "redirect", "RedirectConfig": {
        "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}",
        "StatusCode": "HTTP_301"}}]
    secure = consumer_listeners[443]
    assert (secure["Protocol"], secure["SslPolicy"]) == ("HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06")
    assert secure["Certificates"] == [{"CertificateArn": certificate}]
    assert secure["DefaultActions"][0]["TargetGroupArn"] == target_groups["lattice-consumer-app"]["TargetGroupArn"]

    down = playbook("teardown.yml", *ONLY)
    assert down.returncode == 0, down.failure_messages()
    assert stack_albs(elbv2) == {}
    assert stack_target_groups(elbv2) == {}
    assert sorted(vpc["CidrBlock"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")) == [
        "10.0.0.0/16", "172.168.0.0/16"]


ONE_AZ_VPCS = [{"name": "consumer", "cidr": "172.168.0.0/16", "az_count": 1},
               {"name": "service", "cidr": "10.0.0.0/16", "az_count": 1}]


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"network_vpcs": ONE_AZ_VPCS},
         "loadbalancer_albs[0] (consumer).vpc: an application load balancer needs subnets in at least two AZs; "
         "VPC consumer has az_count 1"),
        ({"loadbalancer_target_groups": [{"name": "app-server", "vpc": "service", "port": 8000}]},
         "loadbalancer_albs[0] (consumer).listeners[0] (HTTP:80).default_action.target_group: "
         "no target group named consumer-app in loadbalancer_target_groups"),
        ({"loadbalancer_albs": [{"name": "consumer", "vpc": "consumer", "security_groups": ["consumer-alb"], "listeners": [
            {"protocol": "HTTPS", "port": 443, "default_action": {"type": "forward", "target_group": "consumer-app"}}]}]},
         "loadbalancer_albs[0] (consumer).listeners[0] (HTTPS:443).certificate_arn: an HTTPS listener needs a certificate"),
    ],
    ids=["one-az-vpc", "unknown-target-group", "https-without-certificate"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused(extra_vars, expected)
