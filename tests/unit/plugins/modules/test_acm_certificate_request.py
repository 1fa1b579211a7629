# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""acm_certificate_request: a certificate's life on moto in process (with the emulator's fixes, so ACM issues a
certificate once its validation records are in Route53, reports the requested key algorithm and refuses to delete
a certificate in use); AWS's late validation records and the exact request on a botocore Stubber."""

from __future__ import annotations

import datetime
import time

import boto3
import moto_fixes
import pytest
from ansible_collections.blueprint.aws.plugins.modules import acm_certificate_request as module
from botocore.stub import ANY, Stubber
from moto import mock_aws

REGION = "us-east-1"
WRITES = ("Request", "Add", "Remove", "Delete")
DOMAIN = "shop.example.com"


class Recorder:
    """The API operations the client was asked for, in order."""

    def __init__(self, client):
        self.operations: list[str] = []
        client.meta.events.register("before-call.acm.*", self._record)

    def _record(self, model, **_kwargs):
        self.operations.append(model.name)

    @property
    def writes(self) -> list[str]:
        return [name for name in self.operations if name.startswith(WRITES)]


def client(service: str):
    return boto3.client(service, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)


@pytest.fixture
def acm():
    moto_fixes.apply()
    with mock_aws():
        acm_client = client("acm")
        acm_client.recorder = Recorder(acm_client)
        yield acm_client


def request_args(**extra):
    return dict({"domain_name": DOMAIN, "subject_alternative_names": [f"www.{DOMAIN}", f"*.{DOMAIN}"],
                 "name_tag": "shop-web", "tags": {"blueprint:stack": "shop"}}, **extra)  # fmt: skip


def certificates(acm) -> list[dict]:
    return acm.list_certificates(Includes={"keyTypes": ["RSA_2048", "EC_prime256v1", "EC_secp384r1"]})[
        "CertificateSummaryList"
    ]


def publish_records(records: list[dict]) -> None:
    """What the certificate role does with validation_records: CNAMEs in the hosted zone."""
    route53 = client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference=str(time.time()))["HostedZone"]["Id"]
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": {"Name": record["name"], "Type": record["type"], "TTL": 300,
                                                   "ResourceRecords": [{"Value": record["value"]}]}}
        for record in records]})  # fmt: skip


# --- moto: the certificate's life -----------------------------------------------------------------------------


def test_check_mode_predicts_and_requests_nothing(run_module, acm):
    outcome = run_module(module, request_args(), acm, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"], outcome.result
    assert acm.recorder.writes == [] and certificates(acm) == []
    certificate = outcome.result["certificate"]
    assert "arn" not in certificate and certificate["status"] is None
    assert certificate["subject_alternative_names"] == [DOMAIN, f"www.{DOMAIN}", f"*.{DOMAIN}"]
    assert certificate["tags"] == {"Name": "shop-web", "blueprint:stack": "shop"}
    assert outcome.result["validation_records"] == []
    assert outcome.result["diff"]["before"] == {}
    assert outcome.result["diff"]["after"]["key_algorithm"] == "RSA_2048"


def test_request_returns_deduplicated_records_and_a_rerun_requests_nothing(run_module, acm):
    first = run_module(module, request_args(), acm, diff=True)

    assert not first.failed and first.result["changed"], first.result
    assert acm.recorder.writes == ["RequestCertificate"]
    certificate = first.result["certificate"]
    assert certificate["status"] == "PENDING_VALIDATION" and certificate["type"] == "AMAZON_ISSUED"
    assert certificate["validation_method"] == "DNS" and certificate["in_use_by"] == []
    assert certificate["tags"] == {"Name": "shop-web", "blueprint:stack": "shop"}
    records = first.result["validation_records"]
    # shop.example.com and *.shop.example.com share one record.
    assert len(records) == 2
    assert {record["domain_name"] for record in records} == {DOMAIN, f"www.{DOMAIN}"}
    assert all(record["type"] == "CNAME" and record["name"].endswith(".") for record in records)

    acm.recorder.operations.clear()
    second = run_module(module, request_args(), acm, diff=True)

    assert not second.failed and not second.result["changed"], second.result
    assert acm.recorder.writes == []
    assert second.result["certificate"]["arn"] == certificate["arn"]
    assert second.result["validation_records"] == records
    assert second.result["diff"]["before"] == second.result["diff"]["after"]
    assert len(certificates(acm)) == 1
    # The names in another order are the same certificate.
    reordered = request_args(subject_alternative_names=[f"*.{DOMAIN}", f"WWW.{DOMAIN}", DOMAIN])
    assert not run_module(module, reordered, acm).result["changed"]


def test_wait_for_issued_once_the_records_are_published(run_module, acm):
    first = run_module(module, request_args(), acm)
    publish_records(first.result["validation_records"])

    issued = run_module(module, request_args(wait_for="issued"), acm)

    assert not issued.failed and not issued.result["changed"], issued.result
    assert issued.result["certificate"]["status"] == "ISSUED"
    assert issued.result["certificate"]["not_after"] is not None


def test_wait_for_issued_times_out_without_records(run_module, acm):
    outcome = run_module(module, request_args(wait_for="issued", wait_timeout=30), acm)
    assert outcome.failed and "to be validated (issued)" in outcome.result["msg"], outcome.result


def test_tags_change_in_place_and_the_name_tag_stays(run_module, acm):
    run_module(module, request_args(), acm)
    acm.recorder.operations.clear()

    outcome = run_module(module, request_args(tags={"owner": "web"}), acm, diff=True)

    assert outcome.result["changed"]
    assert sorted(acm.recorder.writes) == ["AddTagsToCertificate", "RemoveTagsFromCertificate"]
    assert outcome.result["certificate"]["tags"] == {"Name": "shop-web", "owner": "web"}
    assert outcome.result["diff"]["before"]["tags"] == {"Name": "shop-web", "blueprint:stack": "shop"}


def test_name_tag_without_tags_keeps_the_other_tags(run_module, acm):
    run_module(module, request_args(), acm)
    acm.recorder.operations.clear()

    names = request_args()["subject_alternative_names"]
    outcome = run_module(
        module, {"domain_name": DOMAIN, "subject_alternative_names": names, "name_tag": "shop-web"}, acm
    )

    assert not outcome.result["changed"] and acm.recorder.writes == []
    assert outcome.result["certificate"]["tags"] == {"Name": "shop-web", "blueprint:stack": "shop"}


@pytest.mark.parametrize(
    "change, option",
    [
        ({"subject_alternative_names": [f"www.{DOMAIN}"]}, "subject_alternative_names"),
        ({"key_algorithm": "EC_prime256v1"}, "key_algorithm"),
        ({"validation_method": "EMAIL"}, "validation_method"),
        ({"domain_name": "other.example.com"}, "domain_name"),
    ],
)
def test_what_acm_cannot_change_fails_telling_to_use_a_new_name_tag(run_module, acm, change, option):
    run_module(module, request_args(), acm)
    acm.recorder.operations.clear()

    outcome = run_module(module, request_args(**change), acm)

    assert outcome.failed, outcome.result
    assert outcome.result["msg"].startswith(f"{option} cannot change from")
    assert "Use a new name_tag" in outcome.result["msg"]
    assert acm.recorder.writes == []


def test_a_new_name_tag_requests_a_second_certificate_and_domain_alone_is_then_ambiguous(run_module, acm):
    run_module(module, request_args(), acm)
    second = run_module(module, request_args(name_tag="shop-web-2", key_algorithm="EC_prime256v1"), acm)

    assert second.result["changed"] and second.result["certificate"]["key_algorithm"] == "EC_prime256v1"
    assert len(certificates(acm)) == 2
    ambiguous = run_module(module, {"domain_name": DOMAIN, "state": "absent"}, acm)
    assert ambiguous.failed and "2 certificates for 'shop.example.com'" in ambiguous.result["msg"]


def test_email_validation_has_no_records(run_module, acm):
    outcome = run_module(module, {"domain_name": DOMAIN, "validation_method": "EMAIL"}, acm)
    assert outcome.result["changed"] and outcome.result["validation_records"] == []
    assert outcome.result["certificate"]["validation_method"] == "EMAIL"


def test_absent_deletes_once_and_refuses_while_a_load_balancer_uses_it(run_module, acm):
    created = run_module(module, request_args(), acm).result["certificate"]["arn"]
    listener = _https_listener_with(created)

    refused = run_module(module, request_args(state="absent", wait_timeout=0), acm)
    assert refused.failed and "is still in use by arn:aws:elasticloadbalancing" in refused.result["msg"]
    assert len(certificates(acm)) == 1

    client("elbv2").delete_listener(ListenerArn=listener)
    checked = run_module(module, request_args(state="absent"), acm, check_mode=True)
    assert checked.result["changed"] and len(certificates(acm)) == 1
    deleted = run_module(module, request_args(state="absent"), acm, diff=True)
    assert deleted.result["changed"] and certificates(acm) == []
    assert deleted.result["diff"]["after"] == {}
    again = run_module(module, request_args(state="absent"), acm)
    assert not again.result["changed"]


def _https_listener_with(certificate_arn: str) -> str:
    ec2, elbv2 = client("ec2"), client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"][
        "SubnetId"] for n, zone in ((1, "a"), (2, "b"))]  # fmt: skip
    balancer = elbv2.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    return elbv2.create_listener(
        LoadBalancerArn=balancer, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": certificate_arn}],
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
    )["Listeners"][0]["ListenerArn"]  # fmt: skip


def test_certificate_arn_finds_it_and_a_missing_one_fails(run_module, acm):
    arn = run_module(module, request_args(), acm).result["certificate"]["arn"]
    found = run_module(module, {"certificate_arn": arn, "wait_for": "none"}, acm)
    assert not found.result["changed"] and found.result["certificate"]["domain_name"] == DOMAIN

    missing = run_module(module, {"certificate_arn": arn[:-4] + "0000"}, acm)
    assert missing.failed and "certificate_arn: there is no certificate" in missing.result["msg"]


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        ({}, "domain_name is required with state=present"),
        ({"state": "absent"}, "state=absent needs domain_name"),
        ({"domain_name": " "}, "domain_name must not be empty"),
        ({"domain_name": DOMAIN, "subject_alternative_names": [f"n{i}.{DOMAIN}" for i in range(100)]},
         "at most 100 names"),
        ({"domain_name": DOMAIN, "key_algorithm": "RSA_4096"}, "key_algorithm"),
        ({"domain_name": DOMAIN, "wait_for": "forever"}, "wait_for"),
    ],
)  # fmt: skip
def test_bad_input_fails_before_any_call(run_module, args, message):
    acm = client("acm")
    with Stubber(acm) as stubber:
        outcome = run_module(module, args, acm)
        stubber.assert_no_pending_responses()
    assert outcome.failed and message in outcome.result["msg"], outcome.result["msg"]


# --- Stubber: what real AWS does --------------------------------------------------------------------------------

ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-4567-89ef-0123-456789abcdef"
RECORD = {"Name": f"_x1.{DOMAIN}.", "Type": "CNAME", "Value": "_y1.acm-validations.aws."}


def pending(options):
    """DescribeCertificate of a new certificate; AWS leaves DomainValidationOptions out until it has them."""
    certificate = {"CertificateArn": ARN, "DomainName": DOMAIN, "SubjectAlternativeNames": [DOMAIN],
                   "Status": "PENDING_VALIDATION", "Type": "AMAZON_ISSUED", "KeyAlgorithm": "RSA_2048",
                   "CreatedAt": datetime.datetime(2026, 1, 31), "InUseBy": []}  # fmt: skip
    if options:
        certificate["DomainValidationOptions"] = options
    return {"Certificate": certificate}


def test_records_that_aws_fills_in_late_are_waited_for(run_module):
    """AWS answers RequestCertificate at once and adds each name's ResourceRecord a few seconds later."""
    acm = client("acm")
    option = {"DomainName": DOMAIN, "ValidationDomain": DOMAIN, "ValidationStatus": "PENDING_VALIDATION",
              "ValidationMethod": "DNS"}  # fmt: skip
    with Stubber(acm) as stubber:
        stubber.add_response("list_certificates", {"CertificateSummaryList": []}, {"Includes": ANY})
        stubber.add_response(
            "request_certificate", {"CertificateArn": ARN},
            {"DomainName": DOMAIN, "ValidationMethod": "DNS", "KeyAlgorithm": "RSA_2048", "IdempotencyToken": ANY,
             "Tags": [{"Key": "Name", "Value": "web"}]},
        )  # fmt: skip
        stubber.add_response("describe_certificate", pending([]), {"CertificateArn": ARN})
        stubber.add_response("describe_certificate", pending([option]), {"CertificateArn": ARN})
        stubber.add_response(
            "describe_certificate", pending([dict(option, ResourceRecord=RECORD)]), {"CertificateArn": ARN}
        )
        stubber.add_response(
            "describe_certificate", pending([dict(option, ResourceRecord=RECORD)]), {"CertificateArn": ARN}
        )
        stubber.add_response(
            "list_tags_for_certificate", {"Tags": [{"Key": "Name", "Value": "web"}]}, {"CertificateArn": ARN}
        )
        outcome = run_module(module, {"domain_name": DOMAIN, "name_tag": "web"}, acm)
        stubber.assert_no_pending_responses()
    assert not outcome.failed, outcome.result
    assert outcome.result["validation_records"] == [
        {"domain_name": DOMAIN, "name": RECORD["Name"], "type": "CNAME", "value": RECORD["Value"]}
    ]


def test_the_idempotency_token_follows_the_inputs():
    token = module.idempotency_token("web", [DOMAIN], "DNS", "RSA_2048")
    assert len(token) == 32 and token.isalnum()
    assert token == module.idempotency_token("web", [DOMAIN], "DNS", "RSA_2048")
    assert token != module.idempotency_token("web", [DOMAIN], "DNS", "EC_prime256v1")


def test_a_certificate_in_use_that_aws_releases_late_is_deleted(run_module):
    """ACM keeps listing a just-deleted load balancer in InUseBy for a moment; the module waits, then deletes."""
    acm = client("acm")
    in_use = pending([])
    in_use["Certificate"]["InUseBy"] = ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"]
    with Stubber(acm) as stubber:
        stubber.add_response("describe_certificate", in_use, {"CertificateArn": ARN})
        stubber.add_response("list_tags_for_certificate", {}, {"CertificateArn": ARN})
        stubber.add_response("describe_certificate", in_use, {"CertificateArn": ARN})
        stubber.add_response("describe_certificate", pending([]), {"CertificateArn": ARN})
        stubber.add_response("delete_certificate", {}, {"CertificateArn": ARN})
        outcome = run_module(module, {"certificate_arn": ARN, "state": "absent"}, acm)
        stubber.assert_no_pending_responses()
    assert not outcome.failed and outcome.result["changed"], outcome.result


def test_resource_in_use_from_aws_is_a_clear_failure(run_module):
    acm = client("acm")
    with Stubber(acm) as stubber:
        stubber.add_response("describe_certificate", pending([]), {"CertificateArn": ARN})
        stubber.add_response("list_tags_for_certificate", {}, {"CertificateArn": ARN})
        stubber.add_client_error("delete_certificate", "ResourceInUseException", "in use")
        outcome = run_module(module, {"certificate_arn": ARN, "state": "absent"}, acm)
        stubber.assert_no_pending_responses()
    assert outcome.failed and "is still in use (ResourceInUseException)" in outcome.result["msg"], outcome.result
