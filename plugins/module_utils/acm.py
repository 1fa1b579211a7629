# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the ACM (AWS Certificate Manager) modules.

Every boto3 call sits in a small wrapper decorated with ``ACMErrorHandler`` and a retry decorator, so a
module catches one exception type, ``AnsibleACMError``, and calls ``module.fail_json_aws_error(e)``.
Getters return ``None`` for a certificate that does not exist; deleters return ``False`` when it was
already gone.

``certificate_view`` folds DescribeCertificate's answer and the certificate's tags into the flat, snake_case
dict the modules compare, report and diff; ``validation_records`` turns its DomainValidationOptions into the
deduplicated DNS records that prove control of the names.
"""

import hashlib
import json
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# ACM names its throttling error ThrottlingException (AWSRetry knows the generic "Throttling").
TRANSIENT_ERROR_CODES = ["ThrottlingException"]
_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=TRANSIENT_ERROR_CODES)

# Every key type, so ListCertificates finds EC certificates too (without Includes it lists RSA ones only).
KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]
# The key algorithms RequestCertificate issues.
REQUEST_KEY_ALGORITHMS = ["RSA_2048", "EC_prime256v1", "EC_secp384r1"]
# Statuses from which a certificate never becomes ISSUED.
DEAD_STATUSES = ("VALIDATION_TIMED_OUT", "FAILED", "REVOKED", "EXPIRED", "INACTIVE")


class AnsibleACMError(AnsibleAWSError):
    """The one exception the ACM helpers raise."""


class ACMErrorHandler(AWSErrorHandler):
    """Turns botocore errors into AnsibleACMError; ResourceNotFoundException means 'missing'."""

    _CUSTOM_EXCEPTION = AnsibleACMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# ---------------------------------------------------------------------------------------------
# API wrappers
# ---------------------------------------------------------------------------------------------


@ACMErrorHandler.common_error_handler("list certificates")
@_retry
def list_certificates(client) -> List[Dict[str, Any]]:
    """Every certificate summary of the account and region, whatever its status or key type."""
    paginator = client.get_paginator("list_certificates")
    result = paginator.paginate(Includes={"keyTypes": KEY_TYPES}).build_full_result()
    return result.get("CertificateSummaryList", [])


@ACMErrorHandler.list_error_handler("describe certificate")
@_retry
def describe_certificate(client, arn: str) -> Optional[Dict[str, Any]]:
    """DescribeCertificate's ``Certificate``, or None when there is no such certificate."""
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


@ACMErrorHandler.list_error_handler("list certificate tags", {})
@_retry
def list_tags(client, arn: str) -> Dict[str, str]:
    """The certificate's tags as a dict ({} when it is gone); a tag without a value has the value ''."""
    tags = client.list_tags_for_certificate(CertificateArn=arn).get("Tags", [])
    return boto3_tag_list_to_ansible_dict([dict(tag, Value=tag.get("Value", "")) for tag in tags])


@ACMErrorHandler.common_error_handler("request certificate")
@_retry
def request_certificate(client, **params: Any) -> str:
    """RequestCertificate with ``params``; returns the new certificate's ARN."""
    return client.request_certificate(**params)["CertificateArn"]


@ACMErrorHandler.common_error_handler("tag certificate")
@_retry
def add_tags(client, arn: str, tags: Dict[str, str]) -> None:
    client.add_tags_to_certificate(CertificateArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@ACMErrorHandler.common_error_handler("untag certificate")
@_retry
def remove_tags(client, arn: str, tags: Dict[str, str]) -> None:
    """RemoveTagsFromCertificate: a tag is removed only when its value matches, so pass the current values."""
    client.remove_tags_from_certificate(CertificateArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@ACMErrorHandler.deletion_error_handler("delete certificate")
@_retry
def _delete_certificate(client, arn: str) -> bool:
    client.delete_certificate(CertificateArn=arn)
    return True


def delete_certificate(client, arn: str) -> bool:
    """Delete; False if it was already gone. A certificate a load balancer still uses fails with a message
    saying so (AWS's ResourceInUseException)."""
    try:
        return _delete_certificate(client, arn)
    except is_ansible_aws_error_code("ResourceInUseException") as e:
        raise AnsibleACMError(
            message=(
                f"Certificate {arn} is still in use (ResourceInUseException): remove it from the listeners of"
                " the load balancers (or other services) that use it first, then delete it"
            ),
            exception=e.exception,
        ) from e


def wait_for_validated(client, arn: str, timeout: int, delay: int = 15) -> None:
    """botocore's ``certificate_validated`` waiter: every name's validation SUCCESS, within ``timeout`` seconds."""

    @ACMErrorHandler.common_error_handler(f"wait for certificate {arn} to be validated (issued)")
    def wait() -> None:
        attempts = max(1, timeout // delay)
        waiter = client.get_waiter("certificate_validated")
        waiter.wait(CertificateArn=arn, WaiterConfig={"Delay": delay, "MaxAttempts": attempts})

    wait()


# ---------------------------------------------------------------------------------------------
# Views, comparison, diff
# ---------------------------------------------------------------------------------------------


def names(domain_name: str, subject_alternative_names: Optional[Sequence[str]]) -> List[str]:
    """The certificate's names as ACM lists them: the domain name first, then the others, each once, lower case."""
    result: List[str] = []
    for name in [domain_name] + list(subject_alternative_names or []):
        if name.lower() not in result:
            result.append(name.lower())
    return result


def idempotency_token(*parts: Any) -> str:
    """RequestCertificate's IdempotencyToken (at most 32 word characters), derived from the request's inputs.

    The same inputs within an hour give ACM the same token, so a retried or repeated request returns the
    certificate already requested instead of a second one.
    """
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()
    return digest[:32]


def validation_method(certificate: Dict[str, Any]) -> Optional[str]:
    """DNS or EMAIL, from the certificate's DomainValidationOptions (None while AWS has not filled them)."""
    methods = {option.get("ValidationMethod") for option in certificate.get("DomainValidationOptions") or []}
    methods.discard(None)
    return sorted(methods)[0] if methods else None


def validation_records(certificate: Dict[str, Any]) -> List[Dict[str, str]]:
    """The DNS records that validate the certificate, once each, sorted by name.

    ``example.com`` and ``*.example.com`` share one record; AWS lists it under each name, the module once
    (under the first name). Each record is ``{domain_name, name, type, value}``, ready for amazon.aws.route53.
    """
    records: Dict[tuple, Dict[str, str]] = {}
    for option in certificate.get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if option.get("ValidationMethod", "DNS") != "DNS" or not record:
            continue
        key = (record["Name"].lower(), record["Type"], record["Value"])
        records.setdefault(
            key,
            {"domain_name": option["DomainName"], "name": record["Name"], "type": record["Type"],
             "value": record["Value"]},
        )  # fmt: skip
    return [records[key] for key in sorted(records)]


def records_complete(certificate: Optional[Dict[str, Any]]) -> bool:
    """Whether AWS has filled in the validation record of every name (it does so a few seconds after the request).

    EMAIL-validated certificates have no records: complete at once.
    """
    if certificate is None:
        raise AnsibleACMError(message="The certificate disappeared while waiting for its validation records")
    if certificate.get("Status") != "PENDING_VALIDATION":
        return True
    options = certificate.get("DomainValidationOptions") or []
    wanted = names(certificate["DomainName"], certificate.get("SubjectAlternativeNames"))
    if len(options) < len(wanted):
        return False
    return all(option.get("ValidationMethod") == "EMAIL" or option.get("ResourceRecord") for option in options)


def poll(fetch: Callable[[], Any], done: Callable[[Any], bool], timeout: int, delay: int, what: str) -> Any:
    """Call ``fetch()`` until ``done(result)``, at most ``timeout`` seconds; returns the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = fetch()
        if done(result):
            return result
        if time.monotonic() + delay > deadline:
            raise AnsibleACMError(message=f"Timeout waiting for {what} after {timeout} seconds")
        time.sleep(delay)


def wait_for_validation_records(client, arn: str, timeout: int, delay: int = 2) -> Dict[str, Any]:
    """Poll DescribeCertificate until every name carries its validation record; returns the certificate."""
    return poll(
        lambda: describe_certificate(client, arn),
        records_complete,
        timeout,
        delay,
        f"the DNS validation records of certificate {arn}",
    )


def _iso(value: Any) -> Optional[str]:
    return normalize_boto3_result({"value": value})["value"] if value is not None else None


def certificate_view(certificate: Dict[str, Any], tags: Dict[str, str]) -> Dict[str, Any]:
    """A certificate (DescribeCertificate's answer) as the modules return it: flat, snake_case, with its tags."""
    return {
        "arn": certificate["CertificateArn"],
        "status": certificate.get("Status"),
        "type": certificate.get("Type"),
        "domain_name": certificate["DomainName"],
        "subject_alternative_names": names(certificate["DomainName"], certificate.get("SubjectAlternativeNames")),
        "key_algorithm": certificate.get("KeyAlgorithm"),
        "validation_method": validation_method(certificate),
        "in_use_by": sorted(certificate.get("InUseBy") or []),
        "not_before": _iso(certificate.get("NotBefore")),
        "not_after": _iso(certificate.get("NotAfter")),
        "created_at": _iso(certificate.get("CreatedAt")),
        "issued_at": _iso(certificate.get("IssuedAt")),
        "renewal_eligibility": certificate.get("RenewalEligibility"),
        "failure_reason": certificate.get("FailureReason"),
        "tags": dict(tags),
    }


def diff(before: Optional[Dict[str, Any]], after: Optional[Dict[str, Any]], keys: Sequence[str]) -> Dict[str, Any]:
    """``--diff`` output over the managed ``keys``; a missing certificate is ``{}``."""

    def view(resource):
        return {key: resource.get(key) for key in keys} if resource else {}

    return {"before": view(before), "after": view(after)}
