#!/usr/bin/env python3
"""Builds the distribution from the release binary: one platform wheel and the pre-commit mirror.

The wheel carries the stripped, fully static binary as a script (`<name>.data/scripts/`), so pip,
pipx and uv put it on the PATH and no Python code runs, as ruff's wheels do. The mirror is the content
of a hooks repository whose `language: python` hooks require exactly this version. The version is read
from the binary itself (`--version`), so the binary, the wheel and the mirror cannot disagree.

Standard library only: a fresh machine has Python and nothing else.
"""
import argparse
import base64
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DISTRIBUTION = "djlint-secrets"
WHEEL_NAME = "djlint_secrets"
SCRIPT = "djlint-secrets"
SUMMARY = "Find and fix hardcoded SECRET_KEYs, insecure fallbacks and DEBUG misuse in Django settings."
LICENSE_EXPRESSION = "MIT"
MAX_BINARY_BYTES = 20 * 1024 * 1024
# A fully static binary needs no libc of the system, so the oldest manylinux tag pip still knows fits.
PLATFORM_TAGS = {
    62: ("x86_64", "manylinux_2_17_x86_64.manylinux2014_x86_64"),
    183: ("aarch64", "manylinux_2_17_aarch64.manylinux2014_aarch64"),
}
# Zip entries get one fixed time, so the same binary always gives the same wheel bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class DistError(Exception):
    pass


# --- ELF: refuse a binary that would need the build machine's shared libraries --------------------

PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NULL, DT_NEEDED, DT_STRTAB = 0, 1, 5


def elf_facts(path):
    """Returns (machine, interpreter or None, [needed libraries]) of a 64-bit little-endian ELF file."""
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF":
        raise DistError(f"{path} is not an ELF executable")
    if data[4] != 2 or data[5] != 1:
        raise DistError(f"{path} is not a 64-bit little-endian ELF executable")
    machine = struct.unpack_from("<H", data, 18)[0]
    phoff = struct.unpack_from("<Q", data, 32)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    segments = []
    for index in range(phnum):
        kind, _flags, offset, vaddr, _paddr, filesz, _memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + index * phentsize)
        segments.append((kind, offset, vaddr, filesz))
    interpreter = None
    needed_offsets, strtab_address = [], None
    for kind, offset, _vaddr, filesz in segments:
        if kind == PT_INTERP:
            interpreter = data[offset:offset + filesz].rstrip(b"\0").decode(errors="replace")
        elif kind == PT_DYNAMIC:
            for entry in range(offset, offset + filesz, 16):
                tag, value = struct.unpack_from("<qQ", data, entry)
                if tag == DT_NULL:
                    break
                if tag == DT_NEEDED:
                    needed_offsets.append(value)
                elif tag == DT_STRTAB:
                    strtab_address = value
    needed = []
    if needed_offsets:
        strtab = None
        for kind, offset, vaddr, filesz in segments:
            if kind == PT_LOAD and strtab_address is not None and vaddr <= strtab_address < vaddr + filesz:
                strtab = offset + strtab_address - vaddr
        for name_offset in needed_offsets:
            if strtab is None:
                needed.append("?")
                continue
            end = data.index(b"\0", strtab + name_offset)
            needed.append(data[strtab + name_offset:end].decode(errors="replace"))
    return machine, interpreter, needed


def require_static(path):
    machine, interpreter, needed = elf_facts(path)
    if interpreter or needed:
        details = []
        if interpreter:
            details.append(f"loader {interpreter}")
        if needed:
            details.append("shared libraries " + ", ".join(needed))
        raise DistError(
            f"{path} is not fully static (it needs {'; '.join(details)}); a wheel must run on any Linux, "
            "so build it with `make build` (--static-swift-stdlib -Xswiftc -static-executable)")
    if machine not in PLATFORM_TAGS:
        raise DistError(f"{path}: no wheel platform tag is known for ELF machine {machine}")
    return PLATFORM_TAGS[machine][1]


# --- the wheel -------------------------------------------------------------------------------------

def record_digest(content):
    digest = hashlib.sha256(content).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def metadata_text(version, readme):
    headers = [
        ("Metadata-Version", "2.4"),
        ("Name", DISTRIBUTION),
        ("Version", version),
        ("Summary", SUMMARY),
        ("License-Expression", LICENSE_EXPRESSION),
        ("License-File", "LICENSE"),
        ("Keywords", "django,security,secret-key,linter,settings"),
        ("Classifier", "Environment :: Console"),
        ("Classifier", "Framework :: Django"),
        ("Classifier", "Intended Audience :: Developers"),
        ("Classifier", "Operating System :: POSIX :: Linux"),
        ("Classifier", "Topic :: Security"),
        ("Classifier", "Topic :: Software Development :: Quality Assurance"),
        ("Description-Content-Type", "text/markdown; charset=UTF-8; variant=GFM"),
    ]
    head = "".join(f"{key}: {value}\n" for key, value in headers)
    return head + "\n" + readme


def wheel_text(tag_platforms):
    lines = ["Wheel-Version: 1.0", f"Generator: {DISTRIBUTION} Packaging/make_dist.py", "Root-Is-Purelib: false"]
    lines += [f"Tag: py3-none-{platform}" for platform in tag_platforms.split(".")]
    return "\n".join(lines) + "\n"


def write_wheel(out_dir, version, platform, binary_bytes, readme, license_text):
    dist_info = f"{WHEEL_NAME}-{version}.dist-info"
    entries = [
        (f"{WHEEL_NAME}-{version}.data/scripts/{SCRIPT}", binary_bytes, 0o755),
        (f"{dist_info}/METADATA", metadata_text(version, readme).encode(), 0o644),
        (f"{dist_info}/WHEEL", wheel_text(platform).encode(), 0o644),
        (f"{dist_info}/licenses/LICENSE", license_text.encode(), 0o644),
    ]
    record_lines = [f"{name},{record_digest(content)},{len(content)}" for name, content, _ in entries]
    record_lines.append(f"{dist_info}/RECORD,,")
    entries.append((f"{dist_info}/RECORD", ("\n".join(record_lines) + "\n").encode(), 0o644))

    wheel_path = out_dir / f"{WHEEL_NAME}-{version}-py3-none-{platform}.whl"
    partial = wheel_path.with_name(wheel_path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content, mode in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            # pip sets the installed script's mode from these bits: without them it is not executable.
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, content)
    os.replace(partial, wheel_path)
    return wheel_path


# --- the pre-commit mirror -------------------------------------------------------------------------

def mirror_hooks(repository_hooks):
    """The repository's own hook definitions, installed from the wheel instead of found on the PATH."""
    text = Path(repository_hooks).read_text()
    if "language: system" not in text:
        raise DistError(f"{repository_hooks}: expected `language: system` hooks to turn into python hooks")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    header = (f"# pre-commit hooks for djlint-secrets {{version}}: pre-commit installs the wheel from the\n"
              "# package index; nothing is compiled.\n")
    return header, body.replace("language: system", "language: python") + "\n"


def write_mirror(out_dir, version, repository_hooks):
    mirror = out_dir / "pre-commit-mirror"
    if mirror.exists():
        shutil.rmtree(mirror)
    mirror.mkdir(parents=True)
    header, hooks = mirror_hooks(repository_hooks)
    (mirror / ".pre-commit-hooks.yaml").write_text(header.format(version=version) + hooks)
    (mirror / "pyproject.toml").write_text(f"""\
# The hook environment's only requirement is the exact djlint-secrets release; this project itself
# installs no module.
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "djlint-secrets-pre-commit"
version = "{version}"
description = "pre-commit hooks for djlint-secrets {version}"
requires-python = ">=3.8"
dependencies = ["{DISTRIBUTION}=={version}"]

[tool.setuptools]
packages = []
py-modules = []
""")
    (mirror / "README.md").write_text(f"""\
# djlint-secrets pre-commit hooks

```yaml
repos:
  - repo: <this repository>
    rev: v{version}
    hooks:
      - id: djlint-secrets        # report; djlint-secrets-fix rewrites the settings
```

Generated by `make dist` in djlint-secrets; tag each release `v{version}`.
""")
    return mirror


# --- the build -------------------------------------------------------------------------------------

def binary_version(binary):
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30)
    version = result.stdout.strip()
    if result.returncode != 0 or not re.fullmatch(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", version):
        raise DistError(f"{binary} --version did not print a release version (got {version!r})")
    return version


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, type=Path)
    parser.add_argument("--out", default=Path("dist"), type=Path)
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--readme", default=root / "README.md", type=Path)
    parser.add_argument("--license", default=root / "LICENSE", type=Path)
    parser.add_argument("--hooks", default=root / ".pre-commit-hooks.yaml", type=Path)
    args = parser.parse_args(argv)
    try:
        if not args.binary.is_file():
            raise DistError(f"{args.binary}: no such binary; run `make build` first")
        platform = require_static(args.binary)
        args.out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=args.out) as staging:
            stripped = Path(staging) / SCRIPT
            shutil.copyfile(args.binary, stripped)
            os.chmod(stripped, 0o755)
            if shutil.which("strip") is None:
                raise DistError("`strip` (binutils) is needed to build the wheel")
            subprocess.run(["strip", "--strip-all", str(stripped)], check=True)
            size = stripped.stat().st_size
            if size > MAX_BINARY_BYTES:
                raise DistError(f"the stripped binary is {size / 2**20:.1f} MiB, over the "
                                f"{MAX_BINARY_BYTES / 2**20:.0f} MiB limit")
            version = binary_version(stripped)
            binary_bytes = stripped.read_bytes()
        for old in args.out.glob(f"{WHEEL_NAME}-*.whl"):
            old.unlink()
        wheel = write_wheel(args.out, version, platform, binary_bytes,
                            args.readme.read_text(), args.license.read_text())
        mirror = write_mirror(args.out, version, args.hooks)
    except DistError as error:
        print(f"make_dist: {error}", file=sys.stderr)
        return 1
    print(f"{wheel} ({wheel.stat().st_size / 2**20:.1f} MiB; binary {size / 2**20:.1f} MiB stripped)")
    print(f"{mirror}/ (requires {DISTRIBUTION}=={version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
