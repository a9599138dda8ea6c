"""Package py_runtime as a pure-Python wheel that Pyodide installs in the reader's browser.

Deterministic (sorted entries, fixed timestamps) so the same sources give the same bytes,
and so the same fingerprint: an unchanged runtime is never downloaded twice.
"""
from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path

from .errors import BuildError

EPOCH = (2020, 1, 1, 0, 0, 0)


def build_wheel(package_dir: Path, version: str) -> tuple[str, bytes]:
    """Returns (file name, wheel bytes) for the package in `package_dir`."""
    name = package_dir.name
    if not (package_dir / "__init__.py").exists():
        raise BuildError(f"{package_dir} is not a Python package (no __init__.py)", package_dir)
    files = {f"{name}/{p.relative_to(package_dir).as_posix()}": p.read_bytes()
             for p in sorted(package_dir.rglob("*.py")) if "__pycache__" not in p.parts}
    dist_info = f"{name}-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                                      "Summary: Inference and demo math for Deepfakes Explained\n").encode()
    files[f"{dist_info}/WHEEL"] = ("Wheel-Version: 1.0\nGenerator: site_builder\nRoot-Is-Purelib: true\n"
                                   "Tag: py3-none-any\n").encode()
    record = [f"{path},sha256={_urlsafe_sha256(data)},{len(data)}" for path, data in files.items()]
    files[f"{dist_info}/RECORD"] = ("\n".join(record + [f"{dist_info}/RECORD,,"]) + "\n").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return f"{name}-{version}-py3-none-any.whl", buffer.getvalue()


def _urlsafe_sha256(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
