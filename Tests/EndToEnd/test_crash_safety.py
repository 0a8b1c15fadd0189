"""Crash safety of --fix: a process killed at any moment leaves every file either old or new, never
half-written, and a secret removed from the settings is already in .env.

Deterministic part: the test hook DJLINT_SECRETS_CRASH_AFTER=N makes the binary _exit at the N-th
write step (temporary file made, half written, flushed, renamed; four per file), for every N of a
run. Random part: SIGKILL after a random short delay. After each crash the invariants are checked,
then a second --fix must finish the job and match an uninterrupted run.

Every write happens under the project's lock (.djlint-secrets.lock, flock): a run killed while it holds
the lock leaves the lock file behind, unlocked (the kernel releases an flock with its holder), and the
next run takes it at once and removes it."""
import fcntl
import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from dotenv import dotenv_values

from conftest import BIN, run_tool

KEY = "django-insecure-k3y!@#%^&*(-_=+)0123456789abcdefghijklmnopqrstuvwxyz"
DB_PASSWORD = "s3cr3t-db-password-Äö"
MAIL_PASSWORD = "mail#pass word 42"
CRASH_STATUS = 86
TEMPORARY = re.compile(r"^\..+\.djlint-[A-Za-z0-9]{6}$")
NEW_KEY = re.compile(rb"(DJANGO_SECRET_KEY=)[A-Za-z0-9]{64}")
LOCK = ".djlint-secrets.lock"

STARTPROJECT = f'''\
"""Django settings for mysite project."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = '{KEY}'

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

ALLOWED_HOSTS = []

DATABASES = {{
    'default': {{
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'mysite',
        'PASSWORD': '{DB_PASSWORD}',
    }}
}}

EMAIL_HOST_PASSWORD = "{MAIL_PASSWORD}"
'''

# Which settings file holds which secret literal, per project layout.
SECRETS = {"db": DB_PASSWORD, "mail": MAIL_PASSWORD}


def layout_single(root):
    (root / "mysite").mkdir()
    (root / "mysite" / "settings.py").write_text(STARTPROJECT)


def layout_existing_env(root):
    """An existing .env without a final newline, an existing .gitignore, CRLF settings."""
    layout_single(root)
    path = root / "mysite" / "settings.py"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    (root / ".env").write_bytes(b"# local\nDATABASE_URL='postgres://localhost/x'")
    (root / ".env").chmod(0o600)
    (root / ".gitignore").write_text("__pycache__/\n")


def layout_split(root):
    """Two settings modules: .env is merged twice in one run."""
    (root / "mysite" / "settings").mkdir(parents=True)
    base, _, rest = STARTPROJECT.partition("DEBUG = True\n")
    (root / "mysite" / "settings" / "base.py").write_text(base)
    (root / "mysite" / "settings" / "production.py").write_text("from .base import *\n\nDEBUG = True\n" + rest)


def layout_split_with_test_settings(root):
    """Split settings and test settings that star-import base: they gain test-only defaults, written
    after .env and before the settings that come to require them."""
    layout_split(root)
    (root / "mysite" / "settings" / "test.py").write_text("from .base import *  # noqa\n\nDATABASES = {}\n")


def layout_git(root):
    layout_single(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)


LAYOUTS = [layout_single, layout_existing_env, layout_split, layout_split_with_test_settings, layout_git]


def make_project(root, layout):
    root.mkdir(parents=True)
    (root / "manage.py").write_text("#!/usr/bin/env python\nimport os\nimport sys\n")
    layout(root)
    return root


def files_of(root):
    """Regular files below root (not .git), by relative path; temporaries separately."""
    files, temporaries = {}, []
    for folder, folders, names in os.walk(root):
        folders[:] = [f for f in folders if f != ".git"]
        for name in names:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if TEMPORARY.match(name):
                temporaries.append(rel)
            elif name == LOCK:
                # Left only by a run that died holding it: empty, and no stale lock (checked by the next run).
                assert path.read_bytes() == b""
                temporaries.append(rel)
            else:
                files[rel] = path.read_bytes()
    return files, temporaries


def normalized(files):
    """The state with a generated key replaced by a placeholder, for comparison with a reference."""
    return {name: NEW_KEY.sub(rb"\1<KEY>", content) if name.endswith(".env") else content
            for name, content in files.items()}


def fix(root, **env):
    return run_tool("check", "--fix", "--color", "never", ".", cwd=root, env={**os.environ, **env})


def check_invariants(root, before, after_reference):
    files, temporaries = files_of(root)
    state = normalized(files)
    old, new = normalized(before), normalized(after_reference)
    # Every file is the old one or the new one, byte for byte; nothing else appears.
    assert set(state) <= set(old) | set(new), set(state) - set(old) - set(new)
    for name, content in state.items():
        if name == ".env" and content != old.get(name):
            # Written once per settings file of the project: whole variables appended so far.
            assert new[name].startswith(content) and content.endswith(b"\n"), f".env is half-written:\n{content!r}"
            assert content.startswith(old.get(name, b"")), ".env lost what it held"
            continue
        assert content in (old.get(name), new.get(name)), f"{name} is neither old nor new:\n{content!r}"
    for name in set(old) - set(state):
        raise AssertionError(f"{name} vanished")
    for temporary in temporaries:
        assert not (root / temporary).is_symlink()
        if temporary.endswith(LOCK):
            assert_unlocked(root / temporary)

    # A secret gone from the settings is already in .env.
    env = dotenv_values(root / ".env") if (root / ".env").exists() else {}
    settings = {name: content.decode() for name, content in files.items()
                if name.startswith("mysite/") and name.endswith(".py")}
    code = "\n".join(settings.values())
    for secret in SECRETS.values():
        if secret in "\n".join(old_content.decode() for name, old_content in before.items() if name.startswith("mysite/")):
            if secret not in code:
                assert secret in env.values(), f"{secret!r} left the settings but is not in .env"
    if KEY not in code or 'os.environ["DJANGO_SECRET_KEY"]' in code:
        key = env.get("DJANGO_SECRET_KEY") or ""
        assert len(key) >= 50, "the settings read DJANGO_SECRET_KEY but .env does not hold a strong one"


def assert_unlocked(path):
    """Nobody holds the lock a crashed run left: it can be taken at once. (A git child that the run was
    starting when it was killed shares the descriptor until its exec closes it: a moment, not a stale lock.)"""
    deadline = time.monotonic() + 1
    with open(path) as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                assert time.monotonic() < deadline, "a dead run's lock is still held"
                time.sleep(0.01)
        fcntl.flock(lock, fcntl.LOCK_UN)


def reference_state(tmp_path, layout):
    """The files an uninterrupted --fix leaves."""
    root = make_project(tmp_path / f"reference-{layout.__name__}", layout)
    result = fix(root)
    assert result.returncode == 0, result.stderr
    files, temporaries = files_of(root)
    assert not temporaries
    return files


def recover_and_compare(root, reference):
    result = fix(root)
    assert result.returncode == 0, result.stderr.decode()
    files, temporaries = files_of(root)
    # The next run removes what the crash left. The lock file goes with the next run that writes; a run
    # killed after its last write leaves it to a later one, unlocked.
    assert [name for name in temporaries if not name.endswith(LOCK)] == [], temporaries
    for name in temporaries:
        assert_unlocked(root / name)
    assert normalized(files) == normalized(reference)


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.__name__)
def test_a_crash_at_every_write_step_leaves_old_or_new_files_and_no_lost_secret(tmp_path, layout):
    reference = reference_state(tmp_path, layout)
    pristine = make_project(tmp_path / "pristine", layout)
    before, _ = files_of(pristine)
    crashes = 0
    for step in range(1, 200):
        root = tmp_path / f"step-{step}"
        shutil.copytree(pristine, root, symlinks=True)
        result = fix(root, DJLINT_SECRETS_CRASH_AFTER=str(step))
        if result.returncode != CRASH_STATUS:
            assert result.returncode == 0, result.stderr.decode()
            break
        crashes += 1
        check_invariants(root, before, reference)
        recover_and_compare(root, reference)
        shutil.rmtree(root)
    else:
        raise AssertionError("the run never finished")
    # .env, .gitignore and the settings: at least three files, four steps each.
    assert crashes >= 12


def test_sigkill_at_random_moments(tmp_path):
    rng = random.Random(20240521)
    references = {layout: reference_state(tmp_path, layout) for layout in LAYOUTS}
    pristines = {layout: make_project(tmp_path / f"pristine-{layout.__name__}", layout) for layout in LAYOUTS}
    befores = {layout: files_of(pristines[layout])[0] for layout in LAYOUTS}
    # Kill times spread over a whole run, however fast the tool is on this machine.
    durations = []
    for layout in LAYOUTS:
        root = tmp_path / f"timed-{layout.__name__}"
        shutil.copytree(pristines[layout], root, symlinks=True)
        begin = time.monotonic()
        subprocess.run([BIN, "check", "--fix", "--color", "never", "."], cwd=root, capture_output=True)
        durations.append(time.monotonic() - begin)
        shutil.rmtree(root)
    window = min(durations) * 0.9
    started = time.monotonic()
    killed = 0
    for attempt in range(80):
        layout = LAYOUTS[attempt % len(LAYOUTS)]
        root = tmp_path / f"kill-{attempt}"
        shutil.copytree(pristines[layout], root, symlinks=True)
        process = subprocess.Popen([BIN, "check", "--fix", "--color", "never", "."], cwd=root,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, window))
        process.kill()
        if process.wait() == -9:
            killed += 1
        check_invariants(root, befores[layout], references[layout])
        recover_and_compare(root, references[layout])
        shutil.rmtree(root)
    assert killed > 10
    assert time.monotonic() - started < 60


def test_a_run_killed_while_holding_the_lock_does_not_block_the_next(tmp_path):
    """SIGKILL while the lock is held (the hold hook parks the run right after taking it): the lock file
    stays, the kernel released the lock, and the next run fixes at once."""
    root = make_project(tmp_path / "held", layout_git)
    before, _ = files_of(root)
    process = subprocess.Popen([BIN, "check", "--fix", "--color", "never", "."], cwd=root,
                               env={**os.environ, "DJLINT_SECRETS_HOLD_LOCK": "60"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock_path = root / LOCK
    deadline = time.monotonic() + 20
    held = False
    while time.monotonic() < deadline and not held:
        if lock_path.exists():
            with open(lock_path) as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(lock, fcntl.LOCK_UN)
                except BlockingIOError:
                    held = True
        time.sleep(0.005)
    assert held, "the run never held the lock"
    process.kill()
    assert process.wait() == -9
    assert lock_path.exists()
    files, leftovers = files_of(root)
    assert files == before and leftovers == [LOCK], (files.keys(), leftovers)  # killed before any write
    assert_unlocked(lock_path)
    began = time.monotonic()
    result = fix(root, DJLINT_SECRETS_LOCK_TIMEOUT="30")
    assert result.returncode == 0, result.stderr.decode()
    assert time.monotonic() - began < 5, "the next run waited on a stale lock"
    assert not lock_path.exists()
    assert "DJANGO_SECRET_KEY" in dotenv_values(root / ".env")
