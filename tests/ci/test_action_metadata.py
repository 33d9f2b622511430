"""action.yml, the example workflows and their documentation agree with each other and with the
schemas GitHub and GitLab publish (SchemaStore's, as vendored by check-jsonschema)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from apidiff.ci import github_action
from tests.conftest import ROOT

ACTION = ROOT / "action.yml"
DOC = ROOT / "docs" / "github-action.md"
WORKFLOW = ROOT / "docs" / "examples" / "github-workflow.yml"
GITLAB = ROOT / "docs" / "examples" / "gitlab-ci.yml"
ENTRY = ROOT / "apidiff" / "ci" / "github_action.py"
ACTION_NAME = "apidiff/apidiff"  # how workflows name this action: uses: apidiff/apidiff@v1


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def check_jsonschema(schema: str, path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("schema", "path"), [
    ("vendor.github-actions", ACTION),
    ("vendor.github-workflows", WORKFLOW),
    ("vendor.gitlab-ci", GITLAB),
], ids=["action.yml", "github-workflow.yml", "gitlab-ci.yml"])
def test_valid_against_the_published_schema(schema: str, path: Path) -> None:
    check_jsonschema(schema, path)


def test_the_schema_check_catches_a_broken_action(tmp_path: Path) -> None:
    broken = load(ACTION)
    broken["runs"]["steps"][0].pop("shell")  # a composite run step must name its shell
    path = tmp_path / "action.yml"
    path.write_text(yaml.safe_dump(broken))
    with pytest.raises(AssertionError):
        check_jsonschema("vendor.github-actions", path)


def test_composite_steps_pass_every_input_and_output() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert all(step["shell"] == "bash" for step in steps)
    assert '"$GITHUB_ACTION_PATH"' in steps[0]["run"] and "$RUNNER_TEMP" in steps[0]["run"]
    run = next(step for step in steps if step.get("id") == "apidiff")
    assert "-m apidiff.ci.github_action" in run["run"]
    env = run["env"]
    for name in action["inputs"]:
        assert env[f"INPUT_{name.upper().replace('-', '_')}"] == f"${{{{ inputs.{name} }}}}"
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.apidiff.outputs.{name} }}}}"
        assert output["description"]
    assert action["inputs"]["schema"]["required"] is True
    assert action["inputs"]["comment"]["default"] == "true"
    assert action["inputs"]["token"]["default"] == "${{ github.token }}"
    assert all(spec["description"] for spec in action["inputs"].values())


def test_the_entry_point_reads_exactly_the_inputs_the_action_passes() -> None:
    action = load(ACTION)
    assert tuple(name.upper().replace("-", "_") for name in action["inputs"]) == github_action.INPUTS
    assert tuple(action["outputs"]) == github_action.OUTPUTS
    source = ENTRY.read_text(encoding="utf-8")
    assert set(re.findall(r"INPUT_[A-Z_]+", source)) <= {f"INPUT_{name}" for name in github_action.INPUTS}


def test_every_input_and_output_is_documented() -> None:
    action = load(ACTION)
    doc = DOC.read_text(encoding="utf-8")
    inputs = doc.split("## Inputs", 1)[1].split("\n## ", 1)[0]
    outputs = doc.split("## Outputs", 1)[1].split("\n## ", 1)[0]
    documented_inputs = re.findall(r"^\| `([\w-]+)` \|", inputs, re.M)
    documented_outputs = re.findall(r"^\| `([\w-]+)` \|", outputs, re.M)
    assert documented_inputs == list(action["inputs"])
    assert documented_outputs == list(action["outputs"])


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```$", markdown, re.M | re.S)


def test_the_example_workflow_is_the_one_in_the_doc() -> None:
    assert WORKFLOW.read_text(encoding="utf-8") in yaml_blocks(DOC.read_text(encoding="utf-8"))
    assert GITLAB.read_text(encoding="utf-8") in yaml_blocks((ROOT / "docs" / "ci.md").read_text(encoding="utf-8"))


def uses_of_this_action(workflow: Any) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])
            if str(step.get("uses", "")).split("@")[0] in (ACTION_NAME, "./")]


def test_the_example_workflow_uses_the_action_as_declared() -> None:
    """What actionlint checks for a local action: inputs known and required ones given, outputs
    that exist, and the permissions and history the action needs."""
    action, workflow = load(ACTION), load(WORKFLOW)
    text = WORKFLOW.read_text(encoding="utf-8")
    steps = uses_of_this_action(workflow)
    assert len(steps) == 1
    step = steps[0]
    given = set(step.get("with", {}))
    assert given <= set(action["inputs"]), given - set(action["inputs"])
    assert {name for name, spec in action["inputs"].items() if spec.get("required")} <= given
    referenced = set(re.findall(rf"steps\.{step['id']}\.outputs\.([\w-]+)", text))
    assert referenced and referenced <= set(action["outputs"])
    assert workflow[True] == {"pull_request": None}  # YAML 1.1 reads the key "on" as True
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    job = next(iter(workflow["jobs"].values()))
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    # every ${{ }} names something that exists
    for expression in re.findall(r"\$\{\{(.*?)\}\}", text):
        for ref in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            assert ref[0] == step["id"] and ref[1] in action["outputs"]


def doc_yaml(name: str) -> list[Any]:
    """The YAML snippets of a doc; a snippet elided with ``# …`` lines is read part by part."""
    out = []
    for block in yaml_blocks((ROOT / "docs" / name).read_text(encoding="utf-8")):
        for part in re.split(r"^\s*# …\n", block, flags=re.M):
            out.append(yaml.safe_load(textwrap.dedent(part)))
    return out


def steps_of(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return ([node] if "uses" in node else []) + [s for v in node.values() for s in steps_of(v)]
    if isinstance(node, list):
        return [s for v in node for s in steps_of(v)]
    return []


def test_every_yaml_snippet_of_the_docs_parses_and_uses_only_declared_inputs() -> None:
    inputs = set(load(ACTION)["inputs"])
    seen = 0
    for name in ("github-action.md", "ci.md", "pre-commit.md"):
        for snippet in doc_yaml(name):
            for step in steps_of(snippet):
                if str(step["uses"]).startswith(f"{ACTION_NAME}@"):
                    seen += 1
                    assert set(step.get("with", {})) <= inputs, step
    assert seen >= 2
