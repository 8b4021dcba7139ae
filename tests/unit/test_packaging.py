"""Each addon builds as a wheel with whool, offline."""

import email
import shutil
import zipfile

import pytest

from conftest import ADDONS, REPO

whool_buildapi = pytest.importorskip("whool.buildapi")


@pytest.mark.parametrize("addon", ADDONS)
def test_wheel_builds(addon, tmp_path, monkeypatch):
    source = tmp_path / addon
    shutil.copytree(REPO / addon, source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(source)
    (tmp_path / "dist").mkdir()
    name = whool_buildapi.build_wheel(str(tmp_path / "dist"))
    with zipfile.ZipFile(tmp_path / "dist" / name) as wheel:
        names = wheel.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(wheel.read(meta_name))
    assert meta["Name"] == f"odoo-addon-{addon}"
    assert meta["Version"].startswith("18.0.")
    assert f"odoo/addons/{addon}/__manifest__.py" in names
    assert f"odoo/addons/{addon}/static/description/icon.png" in names
    requires = meta.get_all("Requires-Dist") or []
    assert any(r.startswith("odoo") and "18" in r for r in requires), requires
    if addon == "crm_csf_planning":
        assert any("crm_bsc_scorecard" in r for r in requires), requires
