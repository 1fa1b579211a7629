# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""blueprint.aws.cloudwatch_dashboard through ansible-playbook against the emulator.

The playbook asserts each step itself (check mode with diff, create, unchanged re-run, update with diff, delete,
delete again); this test checks the run and that the emulator holds no dashboard afterwards."""

from __future__ import annotations

PLAYBOOK = "tests/integration/playbooks/cloudwatch_dashboard.yml"


def test_check_create_rerun_update_and_delete(playbook, aws):
    run = playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages() or run.stderr[-3000:]
    assert run.changed_tasks() == [
        "Ensure the dashboard shows the requests (check mode)",
        "Ensure the dashboard shows the requests",
        "Ensure the dashboard's panel is full width",
        "Ensure the dashboard is gone",
    ]
    assert aws.client("cloudwatch").list_dashboards()["DashboardEntries"] == []
