# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.sns_topic_encryption through ansible-playbook against the emulator.

The playbook asserts each step itself (check mode, changed, another spelling of the same key unchanged, off, off
again unchanged, a missing topic named); this test checks the run and what the emulator holds."""

from __future__ import annotations

PLAYBOOK = "tests/integration/playbooks/sns_topic_encryption.yml"


def test_encrypt_check_same_key_off_and_missing(playbook, aws):
    sns = aws.client("sns")
    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr[-3000:]
    assert run.changed_tasks() == [
        "Ensure the integration key exists",
        "Ensure the integration topic exists",
        "Ensure the topic is encrypted with the key (check mode)",
        "Ensure the topic is encrypted with the key",
        "Ensure the topic stores its messages unencrypted (check mode)",
        "Ensure the topic stores its messages unencrypted",
    ]
    [topic] = sns.list_topics()["Topics"]
    assert not sns.get_topic_attributes(TopicArn=topic["TopicArn"])["Attributes"].get("KmsMasterKeyId")
