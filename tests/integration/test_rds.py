# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The data layer's RDS master password: where it comes from is checked before any AWS call. The database's life
cycle (converge, re-run, check, the tear-down that keeps a final snapshot and the password's secret until the
confirmation) runs in test_webapp_stack.py."""

from __future__ import annotations

import pytest

INVENTORY = "inventories/webapp"
ADMIN = {"webapp_admin_cidrs": ["198.51.100.7/32"]}


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"webapp_db_master_password": {"source": "variable", "variable": "webapp_db_password"}},
         "data_rds_instances[0] (main).master_password.variable: webapp_db_password is not defined"),
        ({"webapp_db_master_password": {"source": "variable", "variable": "webapp_db_password"},
          "webapp_db_password": "has a space"},
         "data_rds_instances[0] (main).master_password.variable: the password in webapp_db_password must be 8 to 41"),
        ({"webapp_db_master_password": {"source": "secret"}}, "data_rds_instances[0] (main).master_password.secret: name the"),
    ],
    ids=["undefined-variable", "bad-password", "secret-without-name"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    result = refused({**ADMIN, **extra_vars}, expected, inventory=INVENTORY)
    assert "has a space" not in result.stdout + result.stderr
