# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""hostenv.py hands the controller's npm registry to the scenarios whose hosts install from npm."""

from __future__ import annotations

import os
import stat

import hostenv
import pytest


def fake_npm(directory, output: str, status: int = 0) -> None:
    """An `npm` on PATH that answers `npm config get registry` with ``output``."""
    script = directory / "npm"
    script.write_text(f"#!/bin/sh\n[ \"$*\" = 'config get registry' ] || exit 9\nprintf '%s\\n' '{output}'\nexit {status}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize(
    ("output", "status", "expected"),
    [
        ("https://npm.example.test/repository/npm/", 0, "https://npm.example.test/repository/npm/"),
        ("http://127.0.0.1:4873/", 0, "http://127.0.0.1:4873/"),
        ("file:///srv/npm", 0, ""),
        ("https://npm.example.test/", 1, ""),
    ],
)
def test_npm_registry_is_the_controllers_network_registry(tmp_path, monkeypatch, output, status, expected):
    fake_npm(tmp_path, output, status)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert hostenv.npm_registry() == expected


def test_npm_registry_is_empty_without_npm(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert hostenv.npm_registry() == ""


def test_the_registry_is_part_of_what_check_compares(monkeypatch):
    monkeypatch.setenv("BLUEPRINT_NPM_REGISTRY", "https://old.example.test/")
    assert hostenv.check({"BLUEPRINT_NPM_REGISTRY": "https://new.example.test/"}) == ["BLUEPRINT_NPM_REGISTRY"]
    monkeypatch.setenv("BLUEPRINT_NPM_REGISTRY", "https://new.example.test/")
    assert hostenv.check({"BLUEPRINT_NPM_REGISTRY": "https://new.example.test/"}) == []
    assert os.environ["BLUEPRINT_NPM_REGISTRY"] == "https://new.example.test/"
