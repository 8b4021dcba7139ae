"""Static checks of both addons: manifests, data files, readme, icon, XML."""

import ast
import csv
import re
from xml.etree import ElementTree

import pytest

from conftest import ADDONS, REPO


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_keys(addon):
    data = manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", data["version"])
    assert data["license"] == "LGPL-3"
    assert data.get("installable", True) is True
    for key in ("name", "summary", "author", "depends", "data", "category"):
        assert data.get(key), key


def test_dependencies_chain():
    assert manifest("crm_bsc_scorecard")["depends"] == ["crm"]
    assert manifest("crm_csf_planning")["depends"] == [
        "crm_bsc_scorecard",
        "web_hierarchy",
    ]


@pytest.mark.parametrize("addon", ADDONS)
def test_data_files_exist_and_parse(addon):
    data = manifest(addon)
    files = data["data"] + data.get("demo", [])
    assert len(files) == len(set(files)), "a data file is listed twice"
    assert files[0].startswith("security/"), "security files load first"
    for rel in files:
        path = REPO / addon / rel
        assert path.is_file(), rel
        if rel.endswith(".xml"):
            root = ElementTree.parse(path).getroot()
            assert root.tag == "odoo", rel
        elif rel.endswith(".csv"):
            with path.open(newline="") as handle:
                rows = list(csv.DictReader(handle))
            assert rows, rel
            ids = [row["id"] for row in rows]
            assert len(ids) == len(set(ids)), f"duplicate id in {rel}"


@pytest.mark.parametrize("addon", ADDONS)
def test_every_listed_xml_file_is_loaded(addon):
    """A view or data file that exists but is not in the manifest is dead."""
    data = manifest(addon)
    listed = set(data["data"] + data.get("demo", []))
    for folder in ("views", "data", "demo", "security", "wizard", "report"):
        for path in (REPO / addon / folder).glob("*.xml"):
            assert str(path.relative_to(REPO / addon)) in listed, path


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_icon_packaging(addon):
    base = REPO / addon
    for fragment in ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md", "CONTRIBUTORS.md"):
        assert (base / "readme" / fragment).read_text().strip(), fragment
    icon = (base / "static/description/icon.png").read_bytes()
    assert icon.startswith(b"\x89PNG"), "icon is a PNG"
    assert "whool" in (base / "pyproject.toml").read_text()


@pytest.mark.parametrize("addon", ADDONS)
def test_every_model_has_access_rules(addon):
    """Every model a Python file declares appears in ir.model.access.csv."""
    declared = set()
    for path in (REPO / addon).rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {
                t.id: v.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                for t in stmt.targets
                if isinstance(t, ast.Name) and isinstance(stmt.value, ast.Constant)
                for v in [stmt.value]
            }
            if "_name" in attrs and attrs.get("_auto", True) is not False:
                bases = {getattr(b, "attr", getattr(b, "id", "")) for b in node.bases}
                if "AbstractModel" not in bases:
                    declared.add(attrs["_name"])
    with (REPO / addon / "security/ir.model.access.csv").open(newline="") as handle:
        covered = {
            row["model_id:id"].split(".")[-1].removeprefix("model_")
            for row in csv.DictReader(handle)
        }
    missing = {m for m in declared if m.replace(".", "_") not in covered}
    assert not missing, f"models without access rules: {sorted(missing)}"
