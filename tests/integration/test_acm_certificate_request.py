# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.acm_certificate_request through ansible-playbook against the emulator.

The playbook asserts each step itself (check mode, changed, not changed, the refused change of names); this test
checks the run, the records in the hosted zone and what ACM holds afterwards, and a --check --diff run.
"""

from __future__ import annotations

PLAYBOOK = "tests/integration/playbooks/acm_certificate_request.yml"
DOMAIN = "web.integration.example.com"


def certificates(aws) -> list[dict]:
    return aws.client("acm").list_certificates()["CertificateSummaryList"]


def test_request_validate_tag_and_delete(playbook, aws):
    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr[-3000:]
    assert run.changed_tasks() == [
        "Ensure the web certificate is requested (check mode)",
        "Ensure the web certificate is requested",
        "Ensure the hosted zone exists",
        "Ensure the certificate's validation records are in the hosted zone ['web.integration.example.com',"
        " 'www.web.integration.example.com']",
        "Ensure the web certificate carries the owner tag only (check mode)",
        "Ensure the web certificate carries the owner tag only",
        "Ensure the web certificate is gone (check mode)",
        "Ensure the web certificate is gone",
    ]
    [refused] = run.task_results("Try to add a name")
    assert "subject_alternative_names cannot change" in refused["msg"]
    route53 = aws.client("route53")
    [zone] = route53.list_hosted_zones()["HostedZones"]
    records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
    assert len([record for record in records if record["Type"] == "CNAME"]) == 2
    assert certificates(aws) == []


def test_check_diff_run_predicts_and_changes_nothing(playbook, aws):
    requested = playbook(PLAYBOOK, "--tags", "request", "--skip-tags", "always")
    assert requested.returncode == 0, requested.failure_messages() or requested.stderr[-3000:]
    acm = aws.client("acm")
    [summary] = certificates(aws)
    before = acm.list_tags_for_certificate(CertificateArn=summary["CertificateArn"])["Tags"]

    checked = playbook(PLAYBOOK, "--check", "--diff", "--tags", "update", "--skip-tags", "assert")

    assert checked.returncode == 0, checked.failure_messages() or checked.stderr[-3000:]
    [update] = checked.task_results("carries the owner tag only, again")
    assert update["changed"] and update["diff"]["after"]["tags"] == {"Name": "integration-web", "owner": "web"}
    assert [item["CertificateArn"] for item in certificates(aws)] == [summary["CertificateArn"]]
    assert acm.list_tags_for_certificate(CertificateArn=summary["CertificateArn"])["Tags"] == before
