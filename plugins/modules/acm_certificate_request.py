#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: acm_certificate_request
version_added: 0.1.0
short_description: Request a public AWS Certificate Manager certificate and return its validation records
description:
  - Request a public certificate from AWS Certificate Manager (ACM) for a domain name and its subject alternative
    names, validated by DNS (or by email), and return the DNS records that validate it, ready for
    M(amazon.aws.route53).
  - M(community.aws.acm_certificate) only imports certificates; this module asks ACM to issue one.
  - A certificate is found by its C(Name) tag (O(name_tag)) together with O(domain_name), or by O(domain_name)
    alone, or by O(certificate_arn). A second run finds the certificate the first one requested and never
    requests another.
  - ACM cannot change the names, key algorithm or validation method of a certificate. A task that asks for other
    ones fails before anything changes, telling to use a new O(name_tag), which requests a new certificate.
  - Tags are changed in place.
author:
  - blueprint.aws contributors (@blueprint-aws)
options:
  domain_name:
    description:
      - The fully qualified domain name the certificate is for, for example C(www.example.com); a wildcard such as
        C(*.example.com) protects every name at that level.
      - Required with O(state=present) unless O(certificate_arn) is set.
    type: str
  subject_alternative_names:
    description:
      - More names the certificate covers, besides O(domain_name) (which it always covers). At most 99.
      - Compared as a set, without regard to order or case.
    type: list
    elements: str
    default: []
    aliases: [sans]
  validation_method:
    description:
      - How ACM checks that the requester controls the names.
      - V(DNS) (recommended) is a CNAME record per name, returned as RV(validation_records); ACM renews the
        certificate automatically while the records stay.
      - V(EMAIL) sends approval mails to the domain's contacts; there are no records.
    type: str
    choices: [DNS, EMAIL]
    default: DNS
  key_algorithm:
    description:
      - The algorithm of the certificate's key pair.
    type: str
    choices: [RSA_2048, EC_prime256v1, EC_secp384r1]
    default: RSA_2048
  name_tag:
    description:
      - The value of the certificate's C(Name) tag, which identifies it across runs together with O(domain_name).
      - Set it whenever several certificates may be requested for the same domain name (by several stacks, or
        when the names of a certificate change and a new one must replace it).
      - Without it the certificate is found by O(domain_name) alone, and several certificates for that domain
        name fail the task, listing them.
      - With O(tags) unset, the C(Name) tag is the only tag the module sets; the others stay.
    type: str
  certificate_arn:
    description:
      - The ARN of the certificate, instead of finding it by O(name_tag) and O(domain_name).
      - With O(state=present) the certificate must exist (the module does not request one then).
    type: str
    aliases: [arn]
  state:
    description:
      - V(present) requests the certificate unless it exists, and sets its tags.
      - V(absent) deletes it. ACM refuses to delete a certificate a load balancer listener (or another AWS
        service) still uses; the module then fails saying which resources use it.
    type: str
    choices: [present, absent]
    default: present
  wait_for:
    description:
      - What to wait for before returning, with O(state=present).
      - V(validation_records) waits until ACM has filled in the DNS record of every name, which it does a few
        seconds after the request, so that RV(validation_records) is complete.
      - V(issued) waits (with botocore's C(certificate_validated) waiter) until ACM has validated every name and
        issued the certificate. Write the validation records first (see the examples); a certificate whose
        records never appear stays C(PENDING_VALIDATION) and the task times out.
      - V(none) returns at once; RV(validation_records) may then be incomplete for a new certificate.
    type: str
    choices: [validation_records, issued, none]
    default: validation_records
  wait_timeout:
    description:
      - How many seconds to wait for O(wait_for), and for a certificate still in use to be released before it is
        deleted (a load balancer deleted a moment ago may still be listed as using it).
    type: int
    default: 600
notes:
  - The request carries an idempotency token derived from O(name_tag), the names, the validation method and the
    key algorithm, so a request repeated within the hour (a retry, or two runs at once) yields one certificate.
  - A certificate whose validation timed out (C(VALIDATION_TIMED_OUT)) or failed is reported as it is and never
    replaced silently; O(wait_for=issued) fails on it. Delete it (O(state=absent)) and run again.
  - Check mode requests, tags and deletes nothing; for a certificate it would request, RV(certificate.arn) is
    missing and RV(validation_records) is empty (ACM chooses the records).
  - "The module calls C(acm:ListCertificates), C(acm:DescribeCertificate), C(acm:ListTagsForCertificate),
    C(acm:RequestCertificate), C(acm:AddTagsToCertificate), C(acm:RemoveTagsFromCertificate) and
    C(acm:DeleteCertificate)."
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Ensure a certificate for the shop's domain is requested, validated by DNS
  blueprint.aws.acm_certificate_request:
    domain_name: shop.example.com
    subject_alternative_names:
      - www.shop.example.com
    name_tag: shop-web
    tags:
      blueprint:stack: shop
  register: shop_certificate

- name: Ensure the certificate's validation records are in the hosted zone
  amazon.aws.route53:
    state: present
    zone: example.com
    record: "{{ item.name }}"
    type: "{{ item.type }}"
    value: "{{ item.value }}"
    ttl: 300
    overwrite: true
  loop: "{{ shop_certificate.validation_records }}"
  loop_control:
    label: "{{ item.domain_name }}"

- name: Wait until ACM has issued the certificate
  blueprint.aws.acm_certificate_request:
    domain_name: shop.example.com
    subject_alternative_names:
      - www.shop.example.com
    name_tag: shop-web
    tags:
      blueprint:stack: shop
    wait_for: issued
    wait_timeout: 1800

- name: Ensure the certificate is gone (its load balancer listeners must be gone first)
  blueprint.aws.acm_certificate_request:
    domain_name: shop.example.com
    name_tag: shop-web
    state: absent
"""

RETURN = r"""
certificate:
  description: The certificate as it is after the task (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    arn:
      description: The ARN of the certificate. Missing for a certificate a check-mode run would request.
      returned: when the certificate exists
      type: str
      sample: arn:aws:acm:ap-northeast-2:123456789012:certificate/0123abcd-4567-89ef-0123-456789abcdef
    status:
      description:
        - ACM's status of the certificate (C(PENDING_VALIDATION), C(ISSUED), C(VALIDATION_TIMED_OUT), C(FAILED), ...).
        - Null for a certificate a check-mode run would request.
      returned: always
      type: str
      sample: PENDING_VALIDATION
    type:
      description: C(AMAZON_ISSUED) for a certificate ACM issues.
      returned: when the certificate exists
      type: str
      sample: AMAZON_ISSUED
    domain_name:
      description: The certificate's domain name (lower case).
      returned: always
      type: str
      sample: shop.example.com
    subject_alternative_names:
      description: Every name the certificate covers, the domain name first (lower case).
      returned: always
      type: list
      elements: str
      sample: ["shop.example.com", "www.shop.example.com"]
    key_algorithm:
      description: The algorithm of the certificate's key pair.
      returned: always
      type: str
      sample: RSA_2048
    validation_method:
      description: C(DNS) or C(EMAIL).
      returned: always
      type: str
      sample: DNS
    in_use_by:
      description: The ARNs of the resources (load balancers...) that use the certificate.
      returned: always
      type: list
      elements: str
      sample: ["arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/shop-web/0123456789abcdef"]
    not_before:
      description: When the certificate becomes valid (ISO 8601); null until it is issued.
      returned: when the certificate exists
      type: str
      sample: "2026-01-31T00:00:00+00:00"
    not_after:
      description: When the certificate expires (ISO 8601); null until it is issued. ACM renews it before then.
      returned: when the certificate exists
      type: str
      sample: "2027-03-01T23:59:59+00:00"
    created_at:
      description: When the certificate was requested (ISO 8601).
      returned: when the certificate exists
      type: str
      sample: "2026-01-31T12:00:00+00:00"
    issued_at:
      description: When ACM issued the certificate (ISO 8601); null until then.
      returned: when the certificate exists
      type: str
      sample: "2026-01-31T12:05:00+00:00"
    renewal_eligibility:
      description: Whether ACM can renew the certificate (C(ELIGIBLE) once it is in use).
      returned: when the certificate exists
      type: str
      sample: INELIGIBLE
    failure_reason:
      description: Why the request failed, when it did.
      returned: when the certificate exists
      type: str
      sample: CAA_ERROR
    tags:
      description: The certificate's tags, its C(Name) tag included.
      returned: always
      type: dict
      sample: {"Name": "shop-web", "blueprint:stack": "shop"}
validation_records:
  description:
    - The DNS records that validate the certificate's names, each once (C(example.com) and C(*.example.com) share
      one), sorted by name. Empty for O(validation_method=EMAIL) and in check mode for a new certificate.
    - They stay useful after the certificate is issued; ACM renews the certificate only while they exist.
  returned: when O(state=present)
  type: list
  elements: dict
  contains:
    domain_name:
      description: The name of the certificate this record validates (the first one, when several share it).
      returned: always
      type: str
      sample: shop.example.com
    name:
      description: The record's name, a fully qualified name with its final dot.
      returned: always
      type: str
      sample: _3639ac514e785e898d2646601fa951d5.shop.example.com.
    type:
      description: The record's type.
      returned: always
      type: str
      sample: CNAME
    value:
      description: The record's value.
      returned: always
      type: str
      sample: _98d2646601fa951d53639ac514e785e8.mhbtsbpdnt.acm-validations.aws.
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.blueprint.aws.plugins.module_utils.acm import DEAD_STATUSES
from ansible_collections.blueprint.aws.plugins.module_utils.acm import AnsibleACMError
from ansible_collections.blueprint.aws.plugins.module_utils.acm import add_tags
from ansible_collections.blueprint.aws.plugins.module_utils.acm import certificate_view
from ansible_collections.blueprint.aws.plugins.module_utils.acm import delete_certificate
from ansible_collections.blueprint.aws.plugins.module_utils.acm import describe_certificate
from ansible_collections.blueprint.aws.plugins.module_utils.acm import diff
from ansible_collections.blueprint.aws.plugins.module_utils.acm import idempotency_token
from ansible_collections.blueprint.aws.plugins.module_utils.acm import list_certificates
from ansible_collections.blueprint.aws.plugins.module_utils.acm import list_tags
from ansible_collections.blueprint.aws.plugins.module_utils.acm import names
from ansible_collections.blueprint.aws.plugins.module_utils.acm import poll
from ansible_collections.blueprint.aws.plugins.module_utils.acm import remove_tags
from ansible_collections.blueprint.aws.plugins.module_utils.acm import request_certificate
from ansible_collections.blueprint.aws.plugins.module_utils.acm import validation_records
from ansible_collections.blueprint.aws.plugins.module_utils.acm import wait_for_validated
from ansible_collections.blueprint.aws.plugins.module_utils.acm import wait_for_validation_records

# What --diff shows: what the module manages.
DIFF_KEYS = ("domain_name", "subject_alternative_names", "key_algorithm", "validation_method", "tags")
# What ACM cannot change on an existing certificate, and the option that sets it.
IMMUTABLE = (
    ("domain_name", "domain_name"),
    ("subject_alternative_names", "subject_alternative_names"),
    ("key_algorithm", "key_algorithm"),
    ("validation_method", "validation_method"),
)
MAX_NAMES = 100
# How long at most a certificate listed as in use is waited for before it is deleted (capped by wait_timeout).
IN_USE_GRACE_SECONDS = 120


def validate(module: AnsibleAWSModule) -> None:
    """Refuse bad input before the first API call, naming the option."""
    params = module.params
    if params["state"] == "present" and not params["domain_name"] and not params["certificate_arn"]:
        module.fail_json(msg="domain_name is required with state=present (or certificate_arn, to manage one)")
    if params["state"] == "absent" and not (params["domain_name"] or params["certificate_arn"]):
        module.fail_json(msg="state=absent needs domain_name (with name_tag if it has one) or certificate_arn")
    for option in ("domain_name", "name_tag", "certificate_arn"):
        if params[option] is not None and not params[option].strip():
            module.fail_json(msg=f"{option} must not be empty")
    if params["domain_name"]:
        wanted = names(params["domain_name"], params["subject_alternative_names"])
        if len(wanted) > MAX_NAMES:
            module.fail_json(
                msg=f"subject_alternative_names: a certificate covers at most {MAX_NAMES} names, not {len(wanted)}"
            )
    if params["wait_timeout"] < 0:
        module.fail_json(msg=f"wait_timeout must be 0 or more seconds, not {params['wait_timeout']}")


def desired_tags(params: Dict[str, Any]) -> Optional[Dict[str, str]]:
    """The tags the task asks for, the Name tag included; None when tags are not managed."""
    if params["tags"] is None and params["name_tag"] is None:
        return None
    tags = {key: str(value) for key, value in (params["tags"] or {}).items()}
    if params["name_tag"] is not None:
        tags["Name"] = params["name_tag"]
    return tags


def read(client, arn: str) -> Optional[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """(DescribeCertificate's answer, the module's view of it), or None when the certificate does not exist."""
    certificate = describe_certificate(client, arn)
    if certificate is None:
        return None
    return certificate, certificate_view(certificate, list_tags(client, arn))


def find(client, module: AnsibleAWSModule) -> Optional[str]:
    """The ARN of the certificate the task names, or None. Several matches fail, listing them."""
    params = module.params
    if params["certificate_arn"]:
        return params["certificate_arn"]
    domain = params["domain_name"].lower()
    name_tag = params["name_tag"]
    issued = [
        summary for summary in list_certificates(client) if summary.get("Type", "AMAZON_ISSUED") == "AMAZON_ISSUED"
    ]
    same_domain = [summary["CertificateArn"] for summary in issued if summary["DomainName"].lower() == domain]

    if name_tag is None:
        matches = same_domain
        hint = "set name_tag (each certificate's Name tag) or certificate_arn to pick one"
    else:
        matches = [arn for arn in same_domain if list_tags(client, arn).get("Name") == name_tag]
        hint = "delete the extra ones or use certificate_arn"
        if not matches:
            # The same name_tag on a certificate for another domain: the task asks to change its names.
            others = [summary["CertificateArn"] for summary in issued if summary["CertificateArn"] not in same_domain]
            renamed = [arn for arn in others if list_tags(client, arn).get("Name") == name_tag]
            if renamed:
                current = describe_certificate(client, renamed[0]) or {}
                raise AnsibleACMError(
                    message=(
                        f"domain_name cannot change from {current.get('DomainName')!r} to {params['domain_name']!r}:"
                        f" ACM cannot change the names of certificate {renamed[0]} (Name tag {name_tag!r}). Use a"
                        " new name_tag to request a new certificate, move the listeners to it, then delete the old"
                        " one (state=absent)."
                    )
                )
    if len(matches) > 1:
        described = f" with Name tag {name_tag!r}" if name_tag else ""
        raise AnsibleACMError(
            message=(
                f"{len(matches)} certificates for {params['domain_name']!r}{described} exist"
                f" ({', '.join(sorted(matches))}): {hint}"
            )
        )
    return matches[0] if matches else None


def check_immutable(current: Dict[str, Any], wanted: Dict[str, Any]) -> None:
    """Refuse, before any write, a change ACM could only make with a new certificate."""
    for key, option in IMMUTABLE:
        have, want = current.get(key), wanted.get(key)
        if want is None or have is None:
            continue
        if key == "subject_alternative_names":
            have, want = sorted(have), sorted(want)
        if have != want:
            raise AnsibleACMError(
                message=(
                    f"{option} cannot change from {current.get(key)!r} to {wanted.get(key)!r}: ACM cannot change"
                    f" the {key.replace('_', ' ')} of certificate {current['arn']}. Use a new name_tag to request a"
                    " new certificate, move the listeners to it, then delete the old one (state=absent)."
                )
            )


def wanted_view(params: Dict[str, Any]) -> Dict[str, Any]:
    """The certificate the task describes, in certificate_view's terms (None: not compared)."""
    if not params["domain_name"]:
        return {"key_algorithm": None, "validation_method": None}
    return {
        "domain_name": params["domain_name"].lower(),
        "subject_alternative_names": names(params["domain_name"], params["subject_alternative_names"]),
        "key_algorithm": params["key_algorithm"],
        "validation_method": params["validation_method"],
    }


def request(client, module: AnsibleAWSModule, tags: Optional[Dict[str, str]]) -> Dict[str, Any]:
    """Request the certificate; returns it as the module reports it (predicted in check mode)."""
    params = module.params
    view = dict(wanted_view(params), status=None, in_use_by=[], tags=dict(tags or {}))
    if module.check_mode:
        return view
    wanted_names = view["subject_alternative_names"]
    request_params: Dict[str, Any] = {
        "DomainName": params["domain_name"],
        "ValidationMethod": params["validation_method"],
        "KeyAlgorithm": params["key_algorithm"],
        "IdempotencyToken": idempotency_token(
            params["name_tag"], wanted_names, params["validation_method"], params["key_algorithm"]
        ),
    }
    if len(wanted_names) > 1:
        request_params["SubjectAlternativeNames"] = wanted_names
    if tags:
        request_params["Tags"] = [{"Key": key, "Value": value} for key, value in tags.items()]
    view["arn"] = request_certificate(client, **request_params)
    return view


def ensure_tags(client, module: AnsibleAWSModule, view: Dict[str, Any], tags: Optional[Dict[str, str]]) -> bool:
    """Make the certificate's tags ``tags`` (purging others with purge_tags when tags are given); returns changed."""
    if tags is None:
        return False
    # name_tag alone (no tags) sets the Name tag and leaves the others.
    purge = module.params["purge_tags"] and module.params["tags"] is not None
    to_set, to_unset = compare_aws_tags(view["tags"], tags, purge)
    if not to_set and not to_unset:
        return False
    if not module.check_mode:
        if to_unset:
            remove_tags(client, view["arn"], {key: view["tags"][key] for key in to_unset})
        if to_set:
            add_tags(client, view["arn"], to_set)
    view["tags"] = {key: value for key, value in view["tags"].items() if key not in to_unset}
    view["tags"].update(to_set)
    return True


def settle(client, module: AnsibleAWSModule, arn: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Wait for what O(wait_for) asks, then read the certificate back."""
    params = module.params
    if params["wait_for"] == "validation_records":
        wait_for_validation_records(client, arn, params["wait_timeout"])
    elif params["wait_for"] == "issued":
        certificate = describe_certificate(client, arn) or {}
        if certificate.get("Status") in DEAD_STATUSES:
            reason = certificate.get("FailureReason") or "no reason given"
            raise AnsibleACMError(
                message=(
                    f"Certificate {arn} is {certificate['Status']} ({reason}) and will never be issued: delete it"
                    " (state=absent) and run again"
                )
            )
        if certificate.get("Status") != "ISSUED":
            wait_for_validated(client, arn, params["wait_timeout"])
    found = read(client, arn)
    if found is None:
        raise AnsibleACMError(message=f"Certificate {arn} disappeared")
    return found


def ensure_present(
    client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]], raw: Optional[Dict[str, Any]]
) -> Tuple[bool, Dict[str, Any], List[Dict[str, str]]]:
    """Request the certificate unless it exists, set its tags; returns (changed, certificate, records)."""
    params = module.params
    tags = desired_tags(params)
    if current is None:
        if params["certificate_arn"]:
            raise AnsibleACMError(message=f"certificate_arn: there is no certificate {params['certificate_arn']}")
        view = request(client, module, tags)
        if module.check_mode:
            return True, view, []
        raw, view = settle(client, module, view["arn"])
        return True, view, validation_records(raw)

    check_immutable(current, wanted_view(params))
    view = dict(current, tags=dict(current["tags"]))
    changed = ensure_tags(client, module, view, tags)
    if not module.check_mode and (params["wait_for"] != "none"):
        raw, fresh = settle(client, module, view["arn"])
        if not changed or fresh["tags"] == view["tags"]:
            view = fresh
    return changed, view, validation_records(raw or {})


def ensure_absent(client, module: AnsibleAWSModule, current: Optional[Dict[str, Any]]) -> bool:
    """Delete the certificate, once no load balancer uses it any more (waiting briefly for AWS to release it)."""
    if current is None:
        return False
    if module.check_mode:
        return True
    arn = current["arn"]
    if current["in_use_by"]:
        grace = min(module.params["wait_timeout"], IN_USE_GRACE_SECONDS)
        try:
            poll(lambda: describe_certificate(client, arn), lambda c: not (c or {}).get("InUseBy"), grace, 10, "")
        except AnsibleACMError:
            raise AnsibleACMError(
                message=(
                    f"Certificate {arn} is still in use by {', '.join(current['in_use_by'])}: remove it from those"
                    " load balancers' listeners (or delete them) first, then delete the certificate"
                )
            ) from None
    return delete_certificate(client, arn)


def main():
    argument_spec = dict(
        domain_name=dict(type="str"),
        subject_alternative_names=dict(type="list", elements="str", default=[], aliases=["sans"]),
        validation_method=dict(type="str", default="DNS", choices=["DNS", "EMAIL"]),
        key_algorithm=dict(type="str", default="RSA_2048", choices=["RSA_2048", "EC_prime256v1", "EC_secp384r1"]),
        name_tag=dict(type="str"),
        certificate_arn=dict(type="str", aliases=["arn"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait_for=dict(type="str", default="validation_records", choices=["validation_records", "issued", "none"]),
        wait_timeout=dict(type="int", default=600),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = module.client("acm")
    try:
        arn = find(client, module)
        found = read(client, arn) if arn else None
        raw, current = found if found else (None, None)
        if module.params["state"] == "present":
            changed, certificate, records = ensure_present(client, module, current, raw)
        else:
            changed, certificate, records = ensure_absent(client, module, current), None, None
    except AnsibleACMError as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed}
    if certificate is not None:
        result["certificate"] = certificate
        result["validation_records"] = records
    if module._diff:
        result["diff"] = diff(current, certificate, DIFF_KEYS)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
