"""Helpers of the workbook tests: LibreOffice headless, recalculating."""

import pathlib
import shutil
import subprocess
import tempfile

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice():
    """The LibreOffice executable, or None."""
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def convert(path, target="xlsx", recalc=True, timeout=180):
    """Convert the workbook at ``path`` headless with LibreOffice (a fresh
    profile that recalculates every formula on load when ``recalc``);
    returns (the converted file's path, LibreOffice's output). Raises
    AssertionError when the conversion fails."""
    exe = soffice()
    assert exe, "LibreOffice is not installed"
    path = pathlib.Path(path)
    outdir = pathlib.Path(tempfile.mkdtemp(prefix="crm_bsc_lo_out_"))
    profile = pathlib.Path(tempfile.mkdtemp(prefix="crm_bsc_lo_profile_"))
    try:
        user = profile / "user"
        user.mkdir()
        if recalc:
            (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
        result = subprocess.run(
            [
                exe,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = result.stdout + result.stderr
        converted = outdir / (path.stem + "." + target.split(":")[0])
        assert result.returncode == 0 and converted.exists(), (
            f"LibreOffice could not convert {path.name}: "
            f"rc={result.returncode} {output}"
        )
        return converted, output
    finally:
        shutil.rmtree(profile, ignore_errors=True)
