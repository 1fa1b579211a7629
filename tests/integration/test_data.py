# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The data layer's DynamoDB bad input, refused before any AWS call. The users table's converge, re-run, check
mode and tear-down with and without consent are checked on the whole lattice stack (test_lattice_stack.py)."""

from __future__ import annotations

LAYER = ("--tags", "data")


def test_bad_input_fails_before_any_aws_call(refused):
    tables_in = [
        {"name": "users", "hash_key": {"name": "user_id"}},
        {"name": "users", "hash_key": {"name": "id"}, "range_key": {"name": "id"}, "encryption": "customer_managed"},
    ]
    refused(
        {"data_dynamodb_tables": tables_in},
        "data_dynamodb_tables[1] (users).range_key.name: 'id' is already the hash key",
        "data_dynamodb_tables[1] (users).kms_key_id: encryption customer_managed needs the KMS key",
        "data_dynamodb_tables: name 'users' is used by more than one table",
        args=LAYER,
    )
