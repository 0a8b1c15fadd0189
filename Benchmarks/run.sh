#!/usr/bin/env bash
# Times djlint-secrets against ruff (S105/S106/S107) on a pinned corpus of Django code from PyPI,
# side by side in one run, and prints medians, ratios and peak memory.
# Writes the same summary to Benchmarks/latest.md.
#
#   Benchmarks/run.sh                 # or: make bench
#   DJLINT_SECRETS_BIN=path/to/bin    # default .build/release/djlint-secrets of this repository
#   BENCH_RUNS=10 BENCH_EDITOR_RUNS=40 BENCH_WARMUP=1   # hyperfine runs (corpus scan / editor save; editor warm-up +4)
#   BENCH_STRICT=1                    # exit 1 when a target is missed (default: report only)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

python=${PYTHON:-python3}
if [[ -n ${DJLINT_SECRETS_BIN:-} ]]; then  # relative to the caller's folder
  bin=$DJLINT_SECRETS_BIN
  [[ $bin == /* ]] || bin="$PWD/$bin"
else
  bin="$root/.build/release/djlint-secrets"
fi
cd "$root"
runs=${BENCH_RUNS:-10}
editor_runs=${BENCH_EDITOR_RUNS:-40}
warmup=${BENCH_WARMUP:-1}

RUFF_VERSION=0.17.6
# The corpus: Django's sdist (its tests hold many settings modules) and the wheels of large Django apps.
DJANGO_SDIST=(Django==5.2.19)
APP_WHEELS=(wagtail==8.0.1 django-cms==5.1.3 djangorestframework==3.18.3 django-allauth==65.21.1 django-oscar==4.2.1)

# Outside the work tree, so that DJS012 does not read this repository's history while timing.
corpus="${BENCH_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/djlint-secrets-bench/corpus}"
venv="$here/.venv-bench"
ruff="$venv/bin/ruff"

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

[[ -x $bin ]] || die "no djlint-secrets binary at $bin (run 'make build' or set DJLINT_SECRETS_BIN)"

# --- tools -----------------------------------------------------------------------------------
apt_install() { # package...
  local sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  say "installing $* (apt)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
command -v hyperfine >/dev/null || apt_install hyperfine
[[ -x /usr/bin/time ]] || apt_install time

if [[ ! -x $ruff ]] || [[ $("$ruff" --version 2>/dev/null) != "ruff $RUFF_VERSION" ]]; then
  say "installing ruff $RUFF_VERSION into ${venv#$root/}"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "ruff==$RUFF_VERSION"
fi

# --- language server -------------------------------------------------------------------------
# BENCH_SERVER_ONLY=1 (make bench-server): only this part, printed and not written to latest.md.
server_bench() { # markdown-file
  say "language server: 1,000- and 5,000-line settings files, every edit kind, interleaved with ruff server"
  "$python" "$here/language-server.py" --server "$bin" --ruff "$ruff" --edits "${BENCH_SERVER_EDITS:-20}" --markdown "$1"
}
if [[ -n ${BENCH_SERVER_ONLY:-} ]]; then
  server_bench "$(mktemp)"
  exit $?
fi

# --- corpus ----------------------------------------------------------------------------------
stamp="$corpus/.stamp"
wanted_stamp=$(printf '%s\n' "sdist" "${DJANGO_SDIST[@]}" "wheels" "${APP_WHEELS[@]}")
if [[ -f $stamp ]] && [[ $(cat "$stamp") == "$wanted_stamp" ]]; then
  say "corpus: reusing ${corpus#$root/} (delete it to rebuild)"
else
  say "corpus: downloading from PyPI"
  rm -rf "$corpus"
  archives=$(mktemp -d)
  trap 'rm -rf "$archives"' EXIT
  "$python" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
    -d "$archives" "${DJANGO_SDIST[@]}"
  "$python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: \
    -d "$archives" "${APP_WHEELS[@]}"
  mkdir -p "$corpus.partial"
  for archive in "$archives"/*; do
    case $archive in
      *.tar.gz) tar -xzf "$archive" -C "$corpus.partial" ;;
      *.whl)
        name=$(basename "$archive" .whl)
        "$python" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
          "$archive" "$corpus.partial/${name%%-py[23]*}" ;;
      *) die "unexpected archive $archive" ;;
    esac
  done
  printf '%s\n' "$wanted_stamp" > "$corpus.partial/.stamp"
  rm -rf "$corpus"
  mv "$corpus.partial" "$corpus"
  rm -rf "$archives"
  trap - EXIT
fi
py_files=$(find "$corpus" -name '*.py' -type f | wc -l)
py_bytes=$(find "$corpus" -name '*.py' -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
all_bytes=$(du -sb "$corpus" | cut -f1)
corpus_desc=$(awk -v n="$py_files" -v p="$py_bytes" -v a="$all_bytes" \
  'BEGIN {printf "%d .py files, %.1f MB of Python (%.1f MB unpacked in all)", n, p / 1e6, a / 1e6}')
say "corpus: $corpus_desc"

# --- editor-path project ---------------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project="$work/editor-project"
mkdir -p "$project/mysite"
cat > "$project/manage.py" <<'EOF'
#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
EOF
touch "$project/mysite/__init__.py"
# What `django-admin startproject mysite` writes (Django 5.2), with its django-insecure- key.
cat > "$project/mysite/settings.py" <<'EOF'
"""
Django settings for mysite project.

Generated by 'django-admin startproject' using Django 5.2.19.
"""

from pathlib import Path

# Build paths inside the project like this: BASE_DIR / 'subdir'.
BASE_DIR = Path(__file__).resolve().parent.parent


# Quick-start development settings - unsuitable for production
# See https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-7q#z0v!k3m^8w@f$1x%b2n&4p*5r(6t)9y_h-j+l=s0d1g2c3e'

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

ALLOWED_HOSTS = []


# Application definition

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

ROOT_URLCONF = 'mysite.urls'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
            ],
        },
    },
]

WSGI_APPLICATION = 'mysite.wsgi.application'


# Database
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': BASE_DIR / 'db.sqlite3',
    }
}


# Password validation
# https://docs.djangoproject.com/en/5.2/ref/settings/#auth-password-validators

AUTH_PASSWORD_VALIDATORS = [
    {
        'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator',
    },
    {
        'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator',
    },
    {
        'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator',
    },
    {
        'NAME': 'django.contrib.auth.password_validation.NumericPasswordValidator',
    },
]


# Internationalization
# https://docs.djangoproject.com/en/5.2/topics/i18n/

LANGUAGE_CODE = 'en-us'

TIME_ZONE = 'UTC'

USE_I18N = True

USE_TZ = True


# Static files (CSS, JavaScript, Images)
# https://docs.djangoproject.com/en/5.2/howto/static-files/

STATIC_URL = 'static/'

# Default primary key field type
# https://docs.djangoproject.com/en/5.2/ref/settings/#default-auto-field

DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
EOF
settings="$project/mysite/settings.py"

# Other work on the machine skews the medians: say so, in the output and in latest.md.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" 'BEGIN {exit !(l > 0.5)}'; then
  say "warning: load average $load_before before timing; other processes will skew the numbers"
fi

# Sanity: both tools run, and the editor fix really rewrites the settings (a no-op would time nothing).
"$bin" check --exit-zero --quiet --format json "$corpus" > "$work/djlint.json" 2>"$work/djlint.err" ||
  { cat "$work/djlint.err" >&2; die "djlint-secrets failed on the corpus"; }
djlint_findings=$("$python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$work/djlint.json" 2>/dev/null ||
  echo "?")
ruff_findings=$("$ruff" check --no-cache --isolated --select S105,S106,S107 --exit-zero \
  --output-format concise --quiet "$corpus" 2>/dev/null | grep -c ': S10[567] ' || true)
fixed=$("$bin" check --fix --stdin-filename "$settings" - < "$settings" 2>/dev/null || true)
if grep -q 'django-insecure-' <<<"$fixed"; then die "editor path: --fix via stdin did not replace the key"; fi
[[ -f $project/.env ]] || die "editor path: --fix via stdin wrote no .env beside manage.py"

# --- timings ---------------------------------------------------------------------------------
q() { printf '%q' "$1"; }
corpus_json="$work/corpus.json"
editor_json="$work/editor.json"

say "corpus scan: hyperfine, $warmup warm-up + $runs runs each"
hyperfine --style basic -i --warmup "$warmup" --runs "$runs" --export-json "$corpus_json" \
  -n djlint-secrets "$(q "$bin") check --exit-zero --quiet $(q "$corpus")" \
  -n ruff "$(q "$ruff") check --no-cache --isolated --select S105,S106,S107 --exit-zero --quiet $(q "$corpus")" \
  -n read-floor "find $(q "$corpus") -name '*.py' -print0 | xargs -0 cat > /dev/null" >&2

say "editor save (stdin --fix of a startproject settings.py): hyperfine, $((warmup + 4)) warm-up + $editor_runs runs each"
hyperfine --style basic -i --warmup "$((warmup + 4))" --runs "$editor_runs" --export-json "$editor_json" \
  -n djlint-secrets "$(q "$bin") check --fix --stdin-filename $(q "$settings") - < $(q "$settings")" \
  -n ruff "$(q "$ruff") check --fix --no-cache --isolated --select S105 --stdin-filename settings.py - < $(q "$settings")" >&2

say "peak memory on the corpus (/usr/bin/time -v)"
peak_rss() { # command... -> max RSS in KiB
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': *' '/Maximum resident set size/ {print $2}'
}
djlint_rss=$(peak_rss "$bin" check --exit-zero --quiet "$corpus")
ruff_rss=$(peak_rss "$ruff" check --no-cache --isolated --select S105,S106,S107 --exit-zero --quiet "$corpus")

# --- one big file (issue #20) ----------------------------------------------------------------
# `check FILE`, whole process, on generated settings modules of 1,000, 5,000 and 10,000 lines and on big
# real settings modules from PyPI wheels (downloaded here, cached, never committed); the editor save of
# the 5,000-line module; peak memory on the 10,000-line one.
MODULE_WHEELS=(weblate==5.14.3 pretix==2026.8.0)
MODULE_FILES=(weblate/settings_example.py weblate/settings_docker.py pretix/settings.py)
modules="${BENCH_MODULES:-${XDG_CACHE_HOME:-$HOME/.cache}/djlint-secrets-bench/modules}"
modules_stamp=$(printf '%s\n' "${MODULE_WHEELS[@]}" "${MODULE_FILES[@]}")
if [[ ! -f $modules/.stamp ]] || [[ $(cat "$modules/.stamp") != "$modules_stamp" ]]; then
  say "big modules: downloading ${MODULE_WHEELS[*]} from PyPI"
  wheels=$(mktemp -d)
  "$python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: -d "$wheels" "${MODULE_WHEELS[@]}"
  rm -rf "$modules" && mkdir -p "$modules"
  "$python" - "$wheels" "$modules" "${MODULE_FILES[@]}" <<'PY'
import glob, os, sys, zipfile
wheels, target, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
for wheel in glob.glob(os.path.join(wheels, "*.whl")):
    with zipfile.ZipFile(wheel) as archive:
        for name in set(archive.namelist()) & set(wanted):
            archive.extract(name, target)
missing = [name for name in wanted if not os.path.exists(os.path.join(target, name))]
sys.exit(f"missing from the wheels: {missing}" if missing else 0)
PY
  rm -rf "$wheels"
  printf '%s\n' "$modules_stamp" > "$modules/.stamp"
fi
files_md="$work/files.md"
file_runs=${BENCH_FILE_RUNS:-100}
file_jsons=()
for lines in 1000 5000 10000; do
  mkdir -p "$work/generated-$lines/mysite"
  : > "$work/generated-$lines/manage.py"
  "$python" "$here/generate-settings.py" "$lines" > "$work/generated-$lines/mysite/settings.py"
done
file_cases=()
for lines in 1000 5000 10000; do file_cases+=("generated, $lines lines=$work/generated-$lines/mysite/settings.py"); done
for name in "${MODULE_FILES[@]}"; do file_cases+=("$name ($(wc -l < "$modules/$name") lines)=$modules/$name"); done
say "one file (check FILE): hyperfine, 3 warm-up + $file_runs runs each, ${#file_cases[@]} files"
for case in "${file_cases[@]}"; do
  label=${case%%=*}
  file=${case#*=}
  json="$work/file-${#file_jsons[@]}.json"
  hyperfine --style basic -N -i --warmup 3 --runs "$file_runs" --export-json "$json" \
    -n djlint-secrets "$(q "$bin") check $(q "$file")" \
    -n ruff "$(q "$ruff") check --no-cache --isolated --select S105,S106,S107 $(q "$file")" >&2
  file_jsons+=("$label=$json")
done
big="$work/generated-5000/mysite/settings.py"
say "editor save of the 5,000-line module: hyperfine, 3 warm-up + $file_runs runs each"
hyperfine --style basic -i --warmup 3 --runs "$file_runs" --export-json "$work/file-save.json" \
  -n djlint-secrets "$(q "$bin") check --fix --stdin-filename $(q "$big") - < $(q "$big")" \
  -n ruff "$(q "$ruff") check --fix --no-cache --isolated --select S105 --stdin-filename settings.py - < $(q "$big")" >&2
file_jsons+=("editor save, generated 5000 lines=$work/file-save.json")
huge="$work/generated-10000/mysite/settings.py"
"$python" "$here/per-file.py" --markdown "$files_md" \
  --djlint-rss-kib "$(peak_rss "$bin" check "$huge")" \
  --ruff-rss-kib "$(peak_rss "$ruff" check --no-cache --isolated --select S105,S106,S107 "$huge")" \
  "${file_jsons[@]}" || file_status=1

# --- summary ---------------------------------------------------------------------------------
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
[[ -n $cpu ]] || cpu=$(uname -m)
set +e
"$python" "$here/summarize.py" \
  --corpus-json "$corpus_json" --editor-json "$editor_json" \
  --djlint-rss-kib "$djlint_rss" --ruff-rss-kib "$ruff_rss" \
  --corpus "$corpus_desc" \
  --findings "djlint-secrets $djlint_findings, ruff $ruff_findings" \
  --machine "$(nproc) cores, $cpu, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)" \
  --load "before $load_before, after $load_after" \
  --versions "djlint-secrets $("$bin" --version 2>/dev/null | head -1) (tree at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')), $("$ruff" --version), $(hyperfine --version)" \
  --markdown "$here/latest.md" \
  ${BENCH_STRICT:+--strict}
status=$?
[[ -n ${file_status:-} && -n ${BENCH_STRICT:-} ]] && status=1
server_bench "$work/server.md" || { [[ -n ${BENCH_STRICT:-} ]] && status=1; }
{ echo; cat "$files_md"; echo; cat "$work/server.md"; } >> "$here/latest.md"
set -e
exit "$status"
