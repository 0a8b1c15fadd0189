"""Installing without Swift: the wheel `make dist` writes, its pre-commit mirror, `make install`.

Everything here runs the tool with a PATH that holds no Swift toolchain, as a user's machine has.
"""
import base64
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import BIN, REPO

DIST = Path(os.environ.get("DJLINT_SECRETS_DIST", REPO / "dist"))
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"  # setuptools for the mirror's build, see the Makefile's venv
NO_SWIFT_PATH = "/usr/local/bin:/usr/bin:/bin"
VERSION = subprocess.run([BIN, "--version"], capture_output=True, text=True, check=True).stdout.strip()
STARTPROJECT_KEY = re.compile(r"SECRET_KEY = '(django-insecure-[^']+)'")


def the_wheel():
    wheels = sorted(DIST.glob("*.whl"))
    assert len(wheels) == 1, f"expected exactly one wheel in {DIST}, found {wheels} (run `make dist`)"
    return wheels[0]


def user_env(path, **extra):
    assert shutil.which("swift", path=path) is None, f"a Swift toolchain is on {path}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PIP_", "VIRTUAL_ENV"))}
    env.update(PATH=path, **extra)
    return env


def startproject(folder):
    subprocess.run([sys.executable, "-m", "django", "startproject", "mysite", str(folder)],
                   check=True, capture_output=True)
    return folder / "mysite" / "settings.py"


def test_wheel_name_layout_metadata_and_record():
    wheel = the_wheel()
    platform = {"x86_64": "manylinux_2_17_x86_64.manylinux2014_x86_64",
                "aarch64": "manylinux_2_17_aarch64.manylinux2014_aarch64"}[os.uname().machine]
    assert wheel.name == f"djlint_secrets-{VERSION}-py3-none-{platform}.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        script = f"djlint_secrets-{VERSION}.data/scripts/djlint-secrets"
        info = f"djlint_secrets-{VERSION}.dist-info"
        assert script in names
        mode = archive.getinfo(script).external_attr >> 16
        assert stat.S_ISREG(mode) and mode & 0o111 == 0o111, oct(mode)

        metadata = archive.read(f"{info}/METADATA").decode()
        head, _, description = metadata.partition("\n\n")
        fields = [line.split(": ", 1) for line in head.splitlines()]
        assert ["Name", "djlint-secrets"] in fields and ["Version", VERSION] in fields
        assert dict(fields)["Metadata-Version"] in ("2.1", "2.2", "2.3", "2.4")
        assert dict(fields)["Summary"] and dict(fields).get("License-Expression")
        assert dict(fields)["Description-Content-Type"].startswith("text/markdown")
        assert description == (REPO / "README.md").read_text()

        wheel_fields = archive.read(f"{info}/WHEEL").decode().splitlines()
        assert "Root-Is-Purelib: false" in wheel_fields
        assert {f"Tag: py3-none-{tag}" for tag in platform.split(".")} <= set(wheel_fields)

        record = archive.read(f"{info}/RECORD").decode().splitlines()
        listed = {}
        for line in record:
            path, digest, size = line.rsplit(",", 2)
            listed[path] = (digest, size)
        assert set(listed) == set(names)
        for name in names:
            if name == f"{info}/RECORD":
                assert listed[name] == ("", "")
                continue
            content = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
            assert listed[name] == (f"sha256={expected}", str(len(content))), name
        binary = archive.read(script)
    assert len(binary) <= 20 * 2**20, f"stripped binary {len(binary)} bytes"


def test_the_wheel_binary_is_stripped_and_fully_static(tmp_path):
    with zipfile.ZipFile(the_wheel()) as archive:
        binary = tmp_path / "djlint-secrets"
        binary.write_bytes(archive.read(f"djlint_secrets-{VERSION}.data/scripts/djlint-secrets"))
    program_headers = subprocess.run(["readelf", "-lW", str(binary)], capture_output=True, text=True).stdout
    assert "LOAD" in program_headers and "INTERP" not in program_headers
    dynamic = subprocess.run(["readelf", "-dW", str(binary)], capture_output=True, text=True).stdout
    assert "(NEEDED)" not in dynamic
    sections = subprocess.run(["readelf", "-SW", str(binary)], capture_output=True, text=True).stdout
    assert ".symtab" not in sections and ".debug_info" not in sections


def test_twine_check_passes():
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(the_wheel())],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED" in result.stdout


def test_pip_installed_wheel_runs_without_swift(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    path = f"{venv / 'bin'}:{NO_SWIFT_PATH}"
    env = user_env(path)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index", "--disable-pip-version-check",
                              str(the_wheel())], capture_output=True, text=True, env=env)
    assert install.returncode == 0, install.stdout + install.stderr
    assert shutil.which("djlint-secrets", path=path) == str(venv / "bin" / "djlint-secrets")

    def tool(*args):
        return subprocess.run(["djlint-secrets", *args], cwd=project, env=env, capture_output=True, text=True)

    project = tmp_path / "site"
    project.mkdir()
    settings = startproject(project)
    old_key = STARTPROJECT_KEY.search(settings.read_text()).group(1)
    assert tool("--version").stdout.strip() == VERSION

    report = tool("check", "--color", "never", ".")
    assert report.returncode == 1, report.stdout + report.stderr
    assert "DJS002" in report.stdout and old_key not in report.stdout + report.stderr

    fixed = tool("check", "--fix", "--color", "never", ".")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600
    assert old_key not in settings.read_text() and "DJANGO_SECRET_KEY" in settings.read_text()
    assert "DJANGO_SECRET_KEY=" in (project / ".env").read_text()

    again = tool("check", "--color", "never", ".")
    assert again.returncode == 0, again.stdout + again.stderr


def git(folder, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                    "-C", str(folder), *args], check=True, capture_output=True)


def test_pre_commit_installs_the_hook_from_the_mirror_without_swift(tmp_path):
    mirror = tmp_path / "djlint-secrets-pre-commit"
    shutil.copytree(DIST / "pre-commit-mirror", mirror)
    hooks = (mirror / ".pre-commit-hooks.yaml").read_text()
    assert hooks.count("language: python") == 2 and "language: system" not in hooks
    assert f'dependencies = ["djlint-secrets=={VERSION}"]' in (mirror / "pyproject.toml").read_text()
    git(mirror, "init", "-q")
    git(mirror, "add", ".")
    git(mirror, "commit", "-qm", "hooks")
    git(mirror, "tag", f"v{VERSION}")

    project = tmp_path / "site"
    project.mkdir()
    settings = startproject(project)
    (project / ".pre-commit-config.yaml").write_text(f"""\
repos:
  - repo: {mirror}
    rev: v{VERSION}
    hooks:
      - id: djlint-secrets
      - id: djlint-secrets-fix
""")
    git(project, "init", "-q")
    git(project, "add", ".")
    # pip finds the wheel in dist/ and the mirror's build backend in the wheelhouse; no index at all.
    env = user_env(NO_SWIFT_PATH, PIP_FIND_LINKS=f"{DIST} {WHEELHOUSE}", PIP_NO_INDEX="1",
                   PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))

    def hook(hook_id):
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", hook_id, "--all-files", "--color", "never"],
                              cwd=project, env=env, capture_output=True, text=True, timeout=600)

    blocked = hook("djlint-secrets")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "DJS002" in blocked.stdout
    installed = list((tmp_path / "pre-commit-home").glob("repo*/py_env-*/bin/djlint-secrets"))
    assert len(installed) == 1
    assert subprocess.run([str(installed[0]), "--version"], capture_output=True, text=True).stdout.strip() == VERSION

    fixing = hook("djlint-secrets-fix")
    assert fixing.returncode == 1 and "files were modified by this hook" in fixing.stdout, fixing.stdout
    assert 'os.environ["DJANGO_SECRET_KEY"]' in settings.read_text()
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600

    git(project, "add", "-A")
    passing = hook("djlint-secrets")
    assert passing.returncode == 0, passing.stdout + passing.stderr


def make(*args):
    return subprocess.run(["make", "--no-print-directory", "-C", str(REPO), "-o", "build", *args],
                          capture_output=True, text=True, timeout=300)


def test_make_dist_refuses_a_binary_that_is_not_static(tmp_path):
    dynamic = shutil.which("true")
    out = tmp_path / "dist"
    result = make("dist", f"BIN={dynamic}", f"DIST={out}")
    assert result.returncode != 0
    assert "is not fully static" in result.stderr and "libc.so" in result.stderr, result.stderr
    assert not list(out.glob("*.whl")) and not (out / "pre-commit-mirror").exists()


def test_make_install_copies_the_binary_to_prefix(tmp_path):
    prefix = tmp_path / "prefix"
    result = make("install", f"PREFIX={prefix}", f"BIN={BIN}")
    assert result.returncode == 0, result.stdout + result.stderr
    installed = prefix / "bin" / "djlint-secrets"
    assert os.access(installed, os.X_OK)
    assert subprocess.run([str(installed), "--version"], capture_output=True, text=True).stdout.strip() == VERSION


def test_readme_leads_with_the_one_command_install_of_this_version():
    readme = (REPO / "README.md").read_text()
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(pipx install|pip install|make)\b.*$", install, re.M)
    assert commands[:2] == ["pipx install", "pip install"], commands
    assert f"rev: v{VERSION}" in install and "id: djlint-secrets" in install
    assert install.index("pipx install") < install.index("rev: v") < install.index("make install")
    assert f"rev: v{VERSION}" in readme and not re.search(r"rev: v(?!%s\b)\d" % re.escape(VERSION), readme)
