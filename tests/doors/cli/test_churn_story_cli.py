"""The churn story driven only through the CLI, against a running server and against a local
store, on SQLite and PostgreSQL; then bad input, which must change nothing."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from cardinal.cli.main import app
from tests.support.cli import CARDINAL, Cli, one_line
from tests.support.server import free_port

ARN = "arn:aws:sagemaker:us-east-1:000000000000"
ACTOR = f"local:{getpass.getuser()}"
CARD = {
    "model_overview": {"model_description": "Gradient-boosted trees over 90 days of usage."},
    "intended_uses": {"purpose_of_model": "Rank customers by churn risk", "risk_rating": "Medium"},
    "business_details": {"business_problem": "Churn", "line_of_business": "Subscriptions"},
    "additional_information": {"caveats_and_recommendations": "Retrain quarterly."},
    "model_package_details": {"model_package_arn": f"{ARN}:model-package/customer-churn/1"},
}


def test_the_churn_story(cli: Cli) -> None:
    cli.ok("group", "create", "customer-churn", "--description", "Who cancels within 90 days")
    v1 = cli.json("package", "register", "customer-churn", "--metadata", "auc=0.91")
    assert (v1["version"], v1["approval_status"]) == (1, "PendingManualApproval")
    assert v1["customer_metadata"] == {"auc": "0.91"}

    made = cli.ok(
        "card", "create", "churn-v1", "--from", str(cli.write("card.yaml", yaml.safe_dump(CARD)))
    )
    assert made.stdout == "Created model card churn-v1 (version 1, Draft).\n"
    cli.ok("card", "status", "churn-v1", "Approved")
    approved = cli.yaml("package", "approve", "customer-churn", "1", "--description", "AUC 0.91")
    assert approved["approval_description"] == "AUC 0.91"
    opened = cli.ok("gate", "customer-churn/1")
    card_sha = cli.json("card", "show", "churn-v1")["content_sha256"]
    assert opened.stdout.splitlines()[:2] == [
        "OPEN: customer-churn/1 is Approved and documented by churn-v1 (version 1, Approved).",
        "Decisions:",
    ]
    decision = opened.stdout.splitlines()[2]
    assert '"AUC 0.91" -> Approved; card churn-v1 v1 sha256 ' + card_sha in decision

    assert cli.json("package", "register", "customer-churn")["version"] == 2
    cloned = cli.yaml("card", "clone", "customer-churn/2", "--name", "churn-v2")
    assert cloned["version"] == 1
    assert cloned["model_package_arn"] == f"{ARN}:model-package/customer-churn/2"
    for section in ("business_details", "intended_uses", "additional_information"):
        assert cloned["content"][section] == CARD[section], section
    assert cloned["carried_over_from"]["model_card_arn"] == f"{ARN}:model-card/churn-v1"

    edits = [
        [["intended_uses", "risk_rating"], "High"],
        [["business_details", "line_of_business"], "Retail"],
    ]
    edited = cli.ok(
        "card", "edit", "churn-v2", env=cli.editor(CARDINAL_TEST_EDIT=json.dumps(edits))
    )
    assert edited.stdout == "Stored model card churn-v2 version 2.\n"
    history = cli.json("card", "history", "churn-v2")
    assert [(v["version"], v["created_by"]) for v in history] == [(2, ACTOR), (1, ACTOR)]
    diff = cli.json("card", "diff", "churn-v2", "1", "2")
    assert {(c["path"], c["kind"], c["old"], c["new"]) for c in diff["changes"]} == {
        ("$.intended_uses.risk_rating", "changed", "Medium", "High"),
        ("$.business_details.line_of_business", "changed", "Subscriptions", "Retail"),
    }
    assert cli.ok("card", "diff", "churn-v2", "1").stdout.splitlines() == [
        "model card churn-v2: version 1 -> version 2, 2 changes",
        "~ $.business_details.line_of_business: 'Subscriptions' -> 'Retail'",
        "~ $.intended_uses.risk_rating: 'Medium' -> 'High'",
    ]

    closed = cli("gate", "customer-churn/2")
    assert closed.exit_code == 1
    assert closed.stdout.splitlines() == [
        "CLOSED: customer-churn/2",
        "  - model package customer-churn/2 is PendingManualApproval, not Approved",
        "  - model card churn-v2 (version 2) is Draft, not Approved",
    ]
    cli.ok("card", "status", "churn-v2", "Approved")
    cli.ok("package", "approve", "customer-churn", "2")
    gate = cli.process("gate", "customer-churn/2", "--output", "json")
    assert gate.returncode == 0, gate.stderr
    assert json.loads(gate.stdout)["missing"] == []
    shown = cli.process("package", "show", "customer-churn", "2", "--output", "yaml")
    assert yaml.safe_load(shown.stdout)["approval_status"] == "Approved"

    audit = cli.json("audit", "--limit", "100")
    assert audit["next_token"] is None
    assert {e["actor"] for e in audit["events"]} == {ACTOR}
    assert [(e["action"], e["resource_arn"].removeprefix(f"{ARN}:")) for e in audit["events"]] == [
        ("model-package-group:create", "model-package-group/customer-churn"),
        ("model-package:register", "model-package/customer-churn/1"),
        ("model-card:create", "model-card/churn-v1"),
        ("model-card:status", "model-card/churn-v1"),
        ("model-package:approval", "model-package/customer-churn/1"),
        ("model-package:register", "model-package/customer-churn/2"),
        ("model-card:create", "model-card/churn-v2"),
        ("model-card:content", "model-card/churn-v2"),
        ("model-card:status", "model-card/churn-v2"),
        ("model-package:approval", "model-package/customer-churn/2"),
    ]
    verified = cli.ok("verify")
    assert verified.stdout.startswith("OK: checked 3 model card versions, 0 embedded")
    found = cli.json("search", "cards", "group = customer-churn and risk = High")
    assert [(c["name"], c["status"]) for c in found] == [("churn-v2", "Approved")]
    tags = cli.yaml("tag", "set", "package", "customer-churn/2", "stage=prod", "team=retention")
    assert tags["tags"] == {"stage": "prod", "team": "retention"}
    assert cli.yaml("tag", "remove", "package", "customer-churn/2", "stage")["tags"] == {
        "team": "retention"
    }
    listed = cli.json("card", "list", "--status", "Approved")
    assert [(c["name"], c["latest_version"]) for c in listed] == [("churn-v1", 1), ("churn-v2", 2)]


def _seed(cli: Cli) -> None:
    cli.ok("group", "create", "customer-churn")
    cli.ok("package", "register", "customer-churn")
    cli.ok("card", "create", "churn-v1", "--from", str(cli.write("card.json", json.dumps(CARD))))


def _state(cli: Cli) -> tuple[Any, ...]:
    return (
        cli.json("card", "show", "churn-v1"),
        cli.json("card", "history", "churn-v1"),
        cli.json("card", "list"),
        len(cli.json("audit", "--limit", "100")["events"]),
    )


def test_bad_input_changes_nothing(cli: Cli) -> None:
    _seed(cli)
    before = _state(cli)

    not_yaml = cli.write("bad.yaml", "intended_uses: {risk_rating: High\n")
    ran = cli("card", "create", "bad", "--from", str(not_yaml))
    assert ran.exit_code == 4
    assert one_line(ran).startswith(f"refused: {not_yaml} is not valid YAML: line 2, column 1: ")

    huge = {"intended_uses": {"risk_rating": "Huge"}}
    ran = cli("card", "create", "bad", "--from", str(cli.write("huge.yaml", yaml.safe_dump(huge))))
    assert ran.exit_code == 4
    line = one_line(ran)
    assert line.startswith("refused: ")
    assert "$.intended_uses.risk_rating" in line
    assert "Huge" in line

    ran = cli("card", "edit", "churn-v1", env=cli.editor(CARDINAL_TEST_RAW="a: [1,\n"))
    assert ran.exit_code == 4
    assert "is not valid YAML" in one_line(ran)
    assert "nothing was stored; your edit is in" in one_line(ran)
    edit = [[["intended_uses", "risk_rating"], "Huge"]]
    ran = cli("card", "edit", "churn-v1", env=cli.editor(CARDINAL_TEST_EDIT=json.dumps(edit)))
    assert ran.exit_code == 4
    assert one_line(ran).startswith(
        "refused: Invalid model card content at $.intended_uses.risk_rating"
    )
    ran = cli("card", "edit", "churn-v1", env=cli.editor())
    assert ran.exit_code == 0
    assert ran.stderr == "No changes: model card churn-v1 stays at version 1.\n"

    ran = cli("card", "show", "nope")
    assert ran.exit_code == 3
    assert one_line(ran) == "not found: Model card 'nope' does not exist."
    ran = cli("card", "show", "bad")
    assert ran.exit_code == 3
    ran = cli("package", "show", "customer-churn", "7")
    assert ran.exit_code == 3
    ran = cli("search", "cards", "risk =")
    assert (ran.exit_code, one_line(ran)) == (
        4,
        "refused: $.q: at column 7: expected a value after '='",
    )
    ran = cli("gate", "customer-churn")
    assert (ran.exit_code, one_line(ran)) == (
        2,
        "error: 'customer-churn' is not <group>/<version> or a model package ARN.",
    )
    assert _state(cli) == before


def test_a_stale_edit_is_refused_and_kept(cli: Cli) -> None:
    _seed(cli)
    nested = {
        "command": [CARDINAL, "card", "edit", "churn-v1", *cli.where],
        "edit": [[["model_overview", "model_description"], "Edited meanwhile."]],
    }
    mine = [[["intended_uses", "risk_rating"], "High"]]
    env = cli.editor(CARDINAL_TEST_NESTED=json.dumps(nested), CARDINAL_TEST_EDIT=json.dumps(mine))
    ran = cli("card", "edit", "churn-v1", env=env)
    assert ran.exit_code == 4
    line = one_line(ran)
    assert line.startswith(
        "changed meanwhile: model card churn-v1 got a new version after version 1, the one you "
        "edited; nothing was stored; your edit is in "
    )
    kept = Path(line.split("your edit is in ")[1].split(" (edit again")[0])
    assert yaml.safe_load(kept.read_text())["intended_uses"]["risk_rating"] == "High"
    kept.unlink()

    assert [v["version"] for v in cli.json("card", "history", "churn-v1")] == [2, 1]
    latest = cli.json("card", "show", "churn-v1")["content"]
    assert latest["model_overview"]["model_description"] == "Edited meanwhile."
    assert latest["intended_uses"]["risk_rating"] == "Medium"


def test_an_unreachable_endpoint_exits_5(tmp_path: Path) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    ran = CliRunner().invoke(app, ["card", "show", "churn-v1", "--endpoint", endpoint])
    assert ran.exit_code == 5
    [line] = ran.stderr.splitlines()
    assert line.startswith(f"unreachable: no answer from the Cardinal server at {endpoint}: ")
    ran = CliRunner().invoke(
        app,
        ["group", "list"],
        env={"CARDINAL_ENDPOINT": endpoint, "CARDINAL_DATA_DIR": str(tmp_path)},
    )
    assert ran.exit_code == 5
    ran = CliRunner().invoke(app, ["group", "list", "--endpoint", endpoint, "--data-dir", "x"])
    assert ran.exit_code == 2
    assert ran.stderr == (
        "error: give either --endpoint or a local store (--data-dir, --database-url).\n"
    )
