"""Bad input: each problem is reported on stderr with the path and the reason, the run goes on, no
file is left modified halfway, and no secret is lost. Exit status 2 only for a named path that
cannot be read."""
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import BIN, run_tool

KEY = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz!@#%^&*(-_=+)abc"
PASSWORD = "correct-horse-battery-staple-42"

SETTINGS = f'''\
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "{KEY}"
DEBUG = True
ALLOWED_HOSTS = []
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": "{PASSWORD}",
    }}
}}
'''


def make_project(root, settings=SETTINGS, package="mysite"):
    """A startproject-like layout: manage.py and <package>/settings.py."""
    root = Path(root)
    (root / package).mkdir(parents=True, exist_ok=True)
    (root / "manage.py").write_text("import os\nimport sys\n")
    (root / package / "__init__.py").write_text("")
    path = root / package / "settings.py"
    path.write_text(settings)
    return path


def snapshot(root):
    """Every file below `root` (links as their target text), by relative path."""
    files = {}
    for folder, folders, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            files[rel] = ("link", os.readlink(path)) if path.is_symlink() else path.read_bytes()
    return files


def out(result):
    return result.stdout.decode("utf-8", "replace")


def err(result):
    return result.stderr.decode("utf-8", "replace")


def other_user():
    """A command prefix that runs the tool without root's power to read anything, or None."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return (setpriv, "--reuid=65534", "--regid=65534", "--clear-groups")


@pytest.fixture
def shared_tmp():
    """A temporary folder another user can enter (pytest's own is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="djlint-bad-input-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def test_unreadable_file_in_a_walk_is_reported_and_the_run_goes_on(shared_tmp):
    prefix = other_user()
    if prefix is None:
        pytest.skip("needs setpriv to drop root")
    make_project(shared_tmp)
    secret = shared_tmp / "mysite" / "local_settings.py"
    secret.write_text("DEBUG = True\n")
    secret.chmod(0)
    result = run_tool("check", "--color", "never", str(shared_tmp), prefix=prefix)
    assert result.returncode == 1, err(result)
    assert f"{secret}: Permission denied" in err(result)
    assert "DJS002" in out(result) and "DJS008" in out(result)


def test_unreadable_file_named_exits_2_after_checking_the_rest(shared_tmp):
    prefix = other_user()
    if prefix is None:
        pytest.skip("needs setpriv to drop root")
    settings = make_project(shared_tmp)
    secret = shared_tmp / "secret_settings.py"
    secret.write_text("DEBUG = True\n")
    secret.chmod(0)
    result = run_tool("check", "--color", "never", str(secret), str(settings), prefix=prefix)
    assert result.returncode == 2
    assert f"{secret}: Permission denied" in err(result)
    assert "DJS002" in out(result)


def test_unreadable_folder_in_a_walk_is_reported(shared_tmp):
    prefix = other_user()
    if prefix is None:
        pytest.skip("needs setpriv to drop root")
    make_project(shared_tmp)
    locked = shared_tmp / "locked"
    locked.mkdir()
    (locked / "settings.py").write_text("DEBUG = True\n")
    locked.chmod(0)
    result = run_tool("check", "--color", "never", str(shared_tmp), prefix=prefix)
    assert result.returncode == 1
    assert f"{locked}: Permission denied" in err(result)
    assert "mysite/settings.py" in out(result)


def test_unreadable_env_file_is_never_overwritten(shared_tmp):
    prefix = other_user()
    if prefix is None:
        pytest.skip("needs setpriv to drop root")
    settings = make_project(shared_tmp)
    for path in [shared_tmp, settings.parent]:
        path.chmod(0o777)
    settings.chmod(0o666)
    env = shared_tmp / ".env"
    env.write_text("DATABASE_URL='postgres://u:p@db/x'\n")
    env.chmod(0o222)  # writable, not readable: a merge must not take it for empty
    before = snapshot(shared_tmp)
    result = run_tool("check", "--fix", "--color", "never", str(shared_tmp), prefix=prefix)
    assert result.returncode == 1
    assert f"cannot read {env}: Permission denied" in err(result)
    assert snapshot(shared_tmp) == before


def test_dangling_link_named_exits_2_and_the_rest_is_checked(tmp_path):
    settings = make_project(tmp_path)
    (tmp_path / "gone.py").symlink_to(tmp_path / "nowhere.py")
    result = run_tool("check", "--color", "never", "gone.py", str(settings), cwd=tmp_path)
    assert result.returncode == 2
    assert "gone.py: No such file or directory" in err(result)
    assert "DJS002" in out(result)


def test_binary_invalid_utf8_and_empty_files_are_skipped_with_a_reason(tmp_path):
    make_project(tmp_path)
    files = {
        "binary.py": b"DEBUG = True\n\x00\x01\x02",
        "latin1.py": "DEBUG = True\nNAME = 'Café'\n".encode("latin-1"),
        "empty.py": b"",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    before = snapshot(tmp_path)
    result = run_tool("check", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "./binary.py: binary file (holds a NUL byte), skipped" in err(result)
    assert "./latin1.py: not valid UTF-8, skipped" in err(result)
    assert "empty.py" not in err(result) + out(result)
    assert "mysite/settings.py" in out(result)

    fixed = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert "binary.py: binary file" in err(fixed) and "latin1.py: not valid UTF-8" in err(fixed)
    after = snapshot(tmp_path)
    for name in files:
        assert after[name] == before[name]

    # Named, they are skipped the same way: readable, so not exit 2.
    named = run_tool("check", "--color", "never", "binary.py", "latin1.py", "empty.py", cwd=tmp_path)
    assert named.returncode == 0, err(named)
    assert "binary file" in err(named) and "not valid UTF-8" in err(named)


def test_a_file_over_10_mib_is_skipped_and_left_alone(tmp_path):
    make_project(tmp_path)
    big = tmp_path / "mysite" / "huge_settings.py"
    big.write_bytes(b"DEBUG = True\n" + b"# padding padding padding\n" * (11 * 1024 * 1024 // 26))
    before = big.read_bytes()
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert "mysite/huge_settings.py: larger than 10 MiB, skipped" in err(result)
    assert result.returncode == 0, err(result)  # the other settings were fixed
    assert big.read_bytes() == before
    named = run_tool("check", "--color", "never", str(big))
    assert named.returncode == 0 and "larger than 10 MiB" in err(named)


def test_very_long_lines_are_checked_and_fixed(tmp_path):
    settings = make_project(tmp_path)
    long_comment = "# " + "x" * 2_000_000
    settings.write_text(SETTINGS.replace("DEBUG = True", f"DEBUG = True  {long_comment}"))
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 0, err(result)
    text = settings.read_text()
    assert long_comment in text and "DJANGO_DEBUG" in text and KEY not in text


@pytest.mark.parametrize("through", ["pipe", "file"])
def test_standard_input_over_a_mebibyte_is_read_whole(tmp_path, through):
    """The editor path reads stdin straight into memory sized for a settings module (1 MiB from a pipe): a
    bigger one is read on to its end, fixed, and comes back whole."""
    settings = make_project(tmp_path)
    long_comment = "# " + "x" * 1_500_000 + "\n"
    source = (long_comment + SETTINGS + long_comment).encode()
    if through == "file":
        (tmp_path / "input.py").write_bytes(source)
        with open(tmp_path / "input.py", "rb") as handle:
            result = subprocess.run([BIN, "check", "--fix", "--stdin-filename", str(settings), "-"], stdin=handle,
                                    capture_output=True, timeout=60)
    else:
        result = run_tool("check", "--fix", "--stdin-filename", str(settings), "-", input=source)
    fixed = result.stdout
    assert fixed.startswith(long_comment.encode()) and fixed.endswith(long_comment.encode()), (len(fixed), result.stderr[-300:])
    assert b"DJANGO_DEBUG" in fixed and KEY.encode() not in fixed and len(fixed) > 3_000_000


def test_a_line_that_exhausts_the_prefilter_does_not_hide_findings(tmp_path):
    settings = tmp_path / "app" / "settings.py"
    settings.parent.mkdir()
    settings.write_text("a," * 200_000 + "a = 1\nDEBUG = True\n")
    result = run_tool("check", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1, err(result)
    assert "./app/settings.py:2:1: DJS005" in out(result)


def test_deeply_nested_code_is_skipped_not_crashed(tmp_path):
    make_project(tmp_path)
    deep = tmp_path / "mysite" / "deep_settings.py"
    deep.write_text("DEBUG = " + "(" * 50_000 + "True" + ")" * 50_000 + "\n")
    chain = tmp_path / "mysite" / "chain_settings.py"
    chain.write_text("SECRET_KEY = " + " + ".join(['"ab"'] * 100_000) + "\n")
    before = snapshot(tmp_path)
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 0, err(result)
    assert "deep_settings.py: code nested more than 1000 levels deep, skipped" in err(result)
    assert "chain_settings.py: code nested more than 1000 levels deep, skipped" in err(result)
    after = snapshot(tmp_path)
    assert after["mysite/deep_settings.py"] == before["mysite/deep_settings.py"]
    assert after["mysite/chain_settings.py"] == before["mysite/chain_settings.py"]


def test_nesting_under_the_limit_is_checked_and_fixed_with_a_small_stack_limit(tmp_path):
    make_project(tmp_path)
    nested = tmp_path / "mysite" / "nested_settings.py"
    nested.write_text("DATABASES = " + '{"a": ' * 480 + '{"PASSWORD": "hunter2hunter2"}' + "}" * 480 + "\n")
    small_stack = ("sh", "-c", 'ulimit -s 1024 && exec "$0" "$@"')
    checked = run_tool("check", "--color", "never", ".", cwd=tmp_path, prefix=small_stack)
    assert checked.returncode == 1, err(checked)
    assert "nested_settings.py:1:" in out(checked)
    fixed = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path, prefix=small_stack)
    assert fixed.returncode == 0, err(fixed)
    assert "hunter2hunter2" not in nested.read_text()


def test_syntax_errors_keep_findings_elsewhere_and_their_region_unfixed(tmp_path):
    broken = SETTINGS.replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = [\ndef oops(:\n    pass")
    settings = make_project(tmp_path, broken)
    result = run_tool("check", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "DJS002" in out(result) and "DJS005" in out(result)
    fixed = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert "syntax errors; statements near them are not fixed" in err(fixed)
    text = settings.read_text()
    assert "ALLOWED_HOSTS = [\ndef oops(:\n    pass" in text
    assert 'os.environ["DJANGO_SECRET_KEY"]' in text
    again = snapshot(tmp_path)
    run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert snapshot(tmp_path) == again


def test_link_loops_are_not_followed_in_a_walk_and_reported_when_named(tmp_path):
    make_project(tmp_path)
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    (tmp_path / "mysite" / "up").symlink_to(tmp_path)  # a folder loop
    walked = run_tool("check", "--color", "never", ".", cwd=tmp_path)
    assert walked.returncode == 1
    assert err(walked) == ""
    assert out(walked).count("mysite/settings.py:") == 3
    named = run_tool("check", "--color", "never", "a.py", "mysite/settings.py", cwd=tmp_path)
    assert named.returncode == 2
    assert "a.py: Too many levels of symbolic links" in err(named)
    assert "DJS002" in out(named)


def test_very_deep_folders_are_reported_and_the_rest_is_checked(tmp_path):
    make_project(tmp_path)
    folder = tmp_path
    for _ in range(300):
        folder = folder / "d"
    folder.mkdir(parents=True)
    (folder / "settings.py").write_text("DEBUG = True\n")
    result = run_tool("check", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "folders nested too deep, not walked further" in err(result)
    assert "mysite/settings.py" in out(result)

    # Paths longer than the system allows: the scan opens each folder from its parent, so it still
    # checks what is there; --fix, which writes by path, reports the file and goes on.
    long_root = tmp_path / "long"
    os.makedirs(long_root)
    fd = os.open(long_root, os.O_RDONLY)
    try:
        for _ in range(25):
            os.mkdir("n" * 200, dir_fd=fd)
            inner = os.open("n" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        settings = os.open("settings.py", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(settings, b"DEBUG = True\n")
        os.close(settings)
    finally:
        os.close(fd)
    result = run_tool("check", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "mysite/settings.py" in out(result)
    assert "n" * 200 + "/settings.py:1:1: DJS005" in out(result)
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert "File name too long" in err(result)
    assert "Traceback" not in err(result) and result.returncode in (0, 1)


def test_odd_file_names_are_checked_and_fixed(tmp_path):
    for package in ["my site", "café ☕", "-dash"]:
        make_project(tmp_path / package, package="conf ig")
    os.mkdir(os.path.join(os.fsencode(tmp_path), b"bad\xffname"))
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xffname.py"), "wb") as handle:
        handle.write(b"DEBUG = True\n")
    result = run_tool("check", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    text = out(result)
    for package in ["my site", "café ☕", "-dash"]:
        assert f"./{package}/conf ig/settings.py:4:1: DJS002" in text
    assert "name is not valid UTF-8, skipped" in err(result)

    fixed = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert fixed.returncode == 0, err(fixed)
    for package in ["my site", "café ☕", "-dash"]:
        assert KEY not in (tmp_path / package / "conf ig" / "settings.py").read_text()
        assert PASSWORD in (tmp_path / package / ".env").read_text()
    # A file named like an option, after `--`.
    named = run_tool("check", "--color", "never", "--", "-dash/conf ig/settings.py", cwd=tmp_path)
    assert named.returncode == 0, err(named)


def test_read_only_settings_file_is_not_fixed_and_env_not_written(tmp_path):
    settings = make_project(tmp_path)
    settings.chmod(0o444)
    before = snapshot(tmp_path)
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert f"cannot write {settings.relative_to(tmp_path).as_posix()}" in err(result).replace("./", "")
    assert "read-only file" in err(result)
    assert "(not fixed: cannot write the file: read-only file)" in out(result)
    assert snapshot(tmp_path) == before  # no .env, no .gitignore, settings byte for byte
    assert stat.S_IMODE(settings.stat().st_mode) == 0o444


def test_read_only_folder_keeps_every_file_and_every_secret(tmp_path):
    settings = make_project(tmp_path)
    before = snapshot(tmp_path)
    tmp_path.chmod(0o555)  # .env cannot be made
    try:
        result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert result.returncode == 1
    assert "is read-only" in err(result)
    assert snapshot(tmp_path) == before
    assert KEY in settings.read_text() and PASSWORD in settings.read_text()
    assert not any(name.startswith(".") for name in os.listdir(tmp_path))  # no temporary files left


def test_read_only_settings_folder_writes_no_env(tmp_path):
    settings = make_project(tmp_path)
    before = snapshot(tmp_path)
    settings.parent.chmod(0o555)
    try:
        result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    finally:
        settings.parent.chmod(0o755)
    assert result.returncode == 1
    assert "is read-only" in err(result)
    assert snapshot(tmp_path) == before


def test_read_only_env_file_leaves_the_settings_unchanged(tmp_path):
    settings = make_project(tmp_path)
    env = tmp_path / ".env"
    env.write_text("EXISTING=1\n")
    env.chmod(0o400)
    before = snapshot(tmp_path)
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert f"cannot write {env}: read-only file" in err(result)
    assert snapshot(tmp_path) == before


def test_env_that_is_a_folder_leaves_the_settings_unchanged(tmp_path):
    make_project(tmp_path)
    (tmp_path / ".env").mkdir()
    before = snapshot(tmp_path)
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert f"cannot read {tmp_path}/.env: is a directory" in err(result)
    assert snapshot(tmp_path) == before


def test_a_linked_settings_file_is_fixed_through_the_link(tmp_path):
    real = make_project(tmp_path / "real")
    project = tmp_path / "project"
    (project / "mysite").mkdir(parents=True)
    (project / "manage.py").write_text("")
    link = project / "mysite" / "settings.py"
    link.symlink_to(real)
    result = run_tool("check", "--fix", "--color", "never", str(link), cwd=project)
    assert result.returncode == 0, err(result)
    assert link.is_symlink()
    assert KEY not in real.read_text()


def test_a_hard_linked_settings_file_is_not_split(tmp_path):
    settings = make_project(tmp_path)
    os.link(settings, tmp_path / "copy_of_settings.txt")
    before = snapshot(tmp_path)
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "has 2 hard links" in err(result)
    assert snapshot(tmp_path) == before


def test_a_fifo_named_does_not_hang(tmp_path):
    make_project(tmp_path)
    os.mkfifo(tmp_path / "pipe.py")
    result = run_tool("check", "--color", "never", "pipe.py", "mysite/settings.py", cwd=tmp_path)
    assert "pipe.py: not a regular file, skipped" in err(result)
    assert result.returncode == 1
