"""The repository's GitHub Action and workflows (issue #22): valid against the schemas GitHub's own are
checked with, free of zizmor findings, every third-party action pinned by commit, and the action's shell
steps run as a runner would run them (inputs through `env:`, outputs through GITHUB_OUTPUT), installing
the wheel of `make dist` with pip and checking a startproject project."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from test_distribution import DIST, NO_SWIFT_PATH, VERSION, startproject, the_wheel, user_env

ACTION = REPO / "action.yml"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
TOOLS = Path(sys.executable).parent


def test_workflows_and_action_match_githubs_schemas():
    assert [w.name for w in WORKFLOWS] == ["ci.yml", "release.yml"]
    for schema, files in [("vendor.github-workflows", WORKFLOWS), ("vendor.github-actions", [ACTION])]:
        result = subprocess.run([TOOLS / "check-jsonschema", "--builtin-schema", schema, *files],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing():
    result = subprocess.run([TOOLS / "zizmor", "--offline", "--format", "plain", ACTION, *WORKFLOWS],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def every_step(document):
    for job in document.get("jobs", {}).values():
        yield from job.get("steps", [])
    yield from document.get("runs", {}).get("steps", [])


def test_every_third_party_action_is_pinned_by_commit_and_scripts_take_inputs_from_env():
    for path in [ACTION, *WORKFLOWS]:
        text = path.read_text()
        document = yaml.safe_load(text)
        for step in every_step(document):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), (path.name, step["uses"])
                # The version the commit is, for the reader and for update tools.
                assert re.search(re.escape(step["uses"]) + r" # v\d+(\.\d+)*$", text, re.M), step["uses"]
            if "run" in step:
                assert "${{" not in step["run"], (path.name, step.get("name"))
        for job in document.get("jobs", {}).values():
            assert "permissions" in job or "permissions" in document
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
    release = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text())
    assert release["permissions"] == {}
    with_id_token = [name for name, job in release["jobs"].items() if job["permissions"].get("id-token") == "write"]
    assert with_id_token == ["publish"]
    assert release["jobs"]["publish"]["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")


def test_the_actions_default_version_is_this_version():
    assert yaml.safe_load(ACTION.read_text())["inputs"]["version"]["default"] == VERSION


# --- the action's steps under a stubbed runner ---------------------------------------------------------

class StubRunner:
    """Runs a composite action's steps as GitHub's runner does, for the expressions the action uses."""

    def __init__(self, workspace, temp, inputs):
        self.action = yaml.safe_load(ACTION.read_text())
        self.inputs = {name: str(spec.get("default", "")) for name, spec in self.action["inputs"].items()}
        self.inputs.update(inputs)
        self.workspace, self.temp = workspace, temp
        self.outputs = {}
        self.uses = []
        self.logs = []

    def evaluate(self, expression):
        expression = expression.strip()
        if match := re.fullmatch(r"inputs\.([\w-]+)", expression):
            return self.inputs[match[1]]
        if match := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            return self.outputs.get(match[1], {}).get(match[2], "")
        if match := re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", expression):
            return self.inputs[match[1]] == match[2]
        raise AssertionError(f"an expression this stub does not evaluate: {expression}")

    def substitute(self, value):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(self.evaluate(m[1])), str(value))

    def run(self):
        """Runs every step until one fails; returns the failing step's status, or 0."""
        for index, step in enumerate(self.action["runs"]["steps"]):
            if "if" in step and not self.evaluate(step["if"]):
                continue
            if "uses" in step:
                self.uses.append((step["uses"], {k: self.substitute(v) for k, v in step.get("with", {}).items()}))
                continue
            assert step["shell"] == "bash"
            output = self.temp / f"output-{index}"
            output.write_text("")
            env = user_env(NO_SWIFT_PATH, GITHUB_OUTPUT=str(output), GITHUB_WORKSPACE=str(self.workspace),
                           RUNNER_TEMP=str(self.temp), GITHUB_ACTIONS="true")
            env.update({name: self.substitute(value) for name, value in step.get("env", {}).items()})
            script = self.temp / f"step-{index}.sh"
            script.write_text(step["run"])
            # GitHub's command line for `shell: bash`.
            result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                    cwd=self.temp, env=env, capture_output=True, text=True, timeout=180)
            self.logs.append((step["name"], result))
            if "id" in step:
                self.outputs[step["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines())
            if result.returncode != 0:
                return result.returncode
        return 0

    def log(self, name):
        return next(result for step, result in self.logs if step == name)


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory):
    the_wheel()
    return tmp_path_factory.mktemp("runner-temp")


def project(tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    settings = startproject(workspace)
    key = re.search(r"SECRET_KEY = '([^']+)'", settings.read_text())[1]
    return workspace, key


def test_the_action_annotates_uploads_sarif_and_fails_on_findings(tmp_path, runner_temp):
    workspace, key = project(tmp_path)
    runner = StubRunner(workspace, runner_temp, {"version": VERSION, "find-links": str(DIST), "sarif": "true"})
    assert runner.run() == 1
    assert [name for name, _ in runner.logs] == ["Install djlint-secrets", "Check", "Fail on findings"]
    assert runner.log("Install djlint-secrets").stdout.strip() == VERSION
    check = runner.log("Check")
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2, check.stdout + check.stderr
    assert annotations[0].startswith("::error file=mysite/settings.py,line=23,col=1,") and "title=DJS002::" in annotations[0]
    assert annotations[1].startswith("::warning file=mysite/settings.py,line=26,") and "title=DJS005::" in annotations[1]
    assert runner.outputs["check"] == {"sarif-file": "djlint-secrets.sarif", "exit-code": "1"}
    [(uses, inputs)] = runner.uses
    assert uses.startswith("github/codeql-action/upload-sarif@")
    assert inputs == {"sarif_file": "djlint-secrets.sarif", "category": "djlint-secrets"}
    sarif = json.loads((workspace / "djlint-secrets.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["DJS002", "DJS005"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "mysite/settings.py"
    everything = "".join(r.stdout + r.stderr for _, r in runner.logs) + (workspace / "djlint-secrets.sarif").read_text()
    assert key not in everything


def test_the_action_passes_arguments_without_a_shell_and_skips_sarif_unless_asked(tmp_path, runner_temp):
    workspace, _ = project(tmp_path)
    runner = StubRunner(workspace, runner_temp, {
        "version": VERSION, "find-links": str(DIST), "args": "--ignore DJS005  mysite"})
    assert runner.run() == 1
    annotations = [line for line in runner.log("Check").stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and "title=DJS002::" in annotations[0]
    assert runner.uses == [] and not (workspace / "djlint-secrets.sarif").exists()
    assert runner.outputs["check"] == {"exit-code": "1"}
    # Arguments are words, never shell code.
    injected = StubRunner(workspace, runner_temp, {"version": VERSION, "find-links": str(DIST),
                                                   "args": "--exit-zero $(touch pwned) ;touch pwned2"})
    assert injected.run() == 2
    assert not (workspace / "pwned").exists() and not (workspace / "pwned2").exists()


def test_the_action_passes_when_nothing_is_found_and_refuses_a_version_that_is_not_one(tmp_path, runner_temp):
    workspace, _ = project(tmp_path)
    runner = StubRunner(workspace, runner_temp, {"version": VERSION, "find-links": str(DIST), "args": "--exit-zero ."})
    assert runner.run() == 0
    assert runner.outputs["check"]["exit-code"] == "0"
    bad = StubRunner(workspace, runner_temp, {"version": "1.0 --index-url=http://evil.invalid", "find-links": str(DIST)})
    assert bad.run() == 2
    assert "is not a version number" in bad.log("Install djlint-secrets").stdout


def readme_yaml_blocks():
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", (REPO / "README.md").read_text(), re.S)]


def test_the_readme_snippets_use_the_actions_inputs_and_publish_the_gitlab_report():
    blocks = readme_yaml_blocks()
    [workflow] = [b for b in blocks if isinstance(b, dict) and "jobs" in b]
    [step] = [s for s in every_step(workflow) if s.get("uses", "").startswith("djlint-secrets/djlint-secrets@")]
    assert set(step["with"]) <= set(yaml.safe_load(ACTION.read_text())["inputs"])
    [gitlab] = [b for b in blocks if isinstance(b, dict) and "djlint-secrets" in b and "artifacts" in b["djlint-secrets"]]
    job = gitlab["djlint-secrets"]
    report = job["artifacts"]["reports"]["codequality"]
    assert any(f"--format gitlab --output-file {report}" in line for line in job["script"])
