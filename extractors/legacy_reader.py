""".doc / .wps → Document, by converting to .docx with LibreOffice (headless) and reading that.

LibreOffice is a system package (the Makefile installs it where apt is available).  Where
it is missing, the file is recorded with a message that says so and what to install.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from pipeline.model import Document

from .docx_reader import read_docx
from .errors import ReadError

CONVERT_TIMEOUT = 120


def soffice() -> Optional[str]:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, target: str, outdir: Path, name: str) -> Path:
    exe = soffice()
    if exe is None:
        raise ReadError(name, "missing_tool",
                        "读取 .doc/.wps 需要 LibreOffice，本机未安装 — LibreOffice is not installed "
                        "(apt-get install libreoffice-writer-nogui); convert the file to .docx or PDF by hand")
    profile = outdir / "lo-profile"
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(outdir), str(path)]
    try:
        subprocess.run(cmd, check=False, capture_output=True, timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ReadError(name, "timeout", f"LibreOffice 转换超时 ({CONVERT_TIMEOUT} 秒) — conversion timed out")
    out = outdir / (path.stem + "." + target.split(":")[0])
    if not out.exists() or out.stat().st_size == 0:
        raise ReadError(name, "corrupt", "LibreOffice 无法转换此文件，可能已损坏 — LibreOffice could not convert the file")
    return out


def read_legacy(path: Path, name: Optional[str] = None) -> Document:
    path = Path(path)
    name = name or path.name
    with tempfile.TemporaryDirectory(prefix="legacy-") as td:
        src = Path(td) / ("in" + (path.suffix or ".doc"))
        shutil.copyfile(path, src)
        out = convert(src, "docx", Path(td), name)
        doc = read_docx(out, name)
    doc.format = "doc"
    return doc
