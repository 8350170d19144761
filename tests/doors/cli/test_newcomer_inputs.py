"""Inputs a newcomer types first: a resource by name in `cardinal audit`, a card file with several
mistakes, and search values in any case; against a server and a local store, on each backend."""

from __future__ import annotations

import json

from tests.support.cli import Cli, one_line

ARN = "arn:aws:sagemaker:us-east-1:000000000000"
CARD_ARN = f"{ARN}:model-card/churn-card"
GROUP_ARN = f"{ARN}:model-package-group/churn"
VERSION_ARN = f"{ARN}:model-package/churn/1"


def _card(cli: Cli, name: str, risk: str, status: str = "Draft") -> None:
    source = cli.write(f"{name}.json", json.dumps({"intended_uses": {"risk_rating": risk}}))
    cli.ok("card", "create", name, "--from", str(source), "--status", status)


def _audited(cli: Cli, resource: str) -> list[tuple[str, str]]:
    found = cli.json("audit", "--resource", resource)
    return [(e["action"], e["resource_arn"]) for e in found["events"]]


def test_audit_takes_a_card_a_group_or_a_version_by_name(cli: Cli) -> None:
    cli.ok("group", "create", "churn")
    cli.ok("package", "register", "churn")
    _card(cli, "churn-card", "Low")
    cli.ok("card", "status", "churn-card", "PendingReview")

    assert _audited(cli, "churn-card") == [
        ("model-card:create", CARD_ARN),
        ("model-card:status", CARD_ARN),
    ]
    assert _audited(cli, "churn-card") == _audited(cli, CARD_ARN)
    assert _audited(cli, "churn") == [("model-package-group:create", GROUP_ARN)]
    assert [action for action, _ in _audited(cli, "churn/1")] == ["model-package:register"]
    assert {arn for _, arn in _audited(cli, "churn/1")} == {VERSION_ARN}


def test_audit_refuses_a_name_both_a_card_and_a_group_hold(cli: Cli) -> None:
    cli.ok("group", "create", "fraud")
    _card(cli, "fraud", "High")

    refused = cli("audit", "--resource", "fraud")
    assert refused.exit_code == 2
    assert refused.stdout == ""
    assert f"{ARN}:model-card/fraud" in refused.stderr
    assert f"{ARN}:model-package-group/fraud" in refused.stderr
    assert "both" in refused.stderr


def test_audit_of_a_name_nothing_has_is_not_found(cli: Cli) -> None:
    cli.ok("group", "create", "churn")
    for missing in ("customer-churn-v1", "churn/7"):
        result = cli("audit", "--resource", missing)
        assert result.exit_code == 3, result.stderr
        assert result.stdout == ""
        line = one_line(result)
        assert line.startswith("not found: ")
        assert f"'{missing}'" in line
        assert "no model card, model package group or model package version" in line


def test_audit_of_an_arn_lists_what_is_stored_under_it(cli: Cli) -> None:
    _card(cli, "churn-card", "Low")
    assert _audited(cli, CARD_ARN) == [("model-card:create", CARD_ARN)]
    assert _audited(cli, f"{ARN}:model-card/gone") == []


def test_card_file_with_several_problems_reports_each_on_its_own_line(cli: Cli) -> None:
    source = cli.write(
        "bad.json",
        json.dumps(
            {
                "model_overview": {"model_name": 7},
                "intended_uses": {"risk_rating": "Extreme"},
                "owner": "alice",
            }
        ),
    )
    result = cli("card", "create", "churn-card", "--from", str(source))
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    assert lines[0] == f"refused: {source}: Invalid model card content: 3 problems:"
    assert lines[1].startswith("  at $.owner: unknown field 'owner'; allowed here: ")
    assert lines[2:] == [
        "  at $.model_overview.model_name: 7 is not of type 'string'",
        "  at $.intended_uses.risk_rating: 'Extreme' is not one of "
        "['High', 'Medium', 'Low', 'Unknown']",
    ]
    assert cli.json("card", "list") == []


def test_card_file_with_one_problem_reports_one_line(cli: Cli) -> None:
    source = cli.write("bad.json", json.dumps({"intended_uses": {"risk_rating": "Extreme"}}))
    result = cli("card", "create", "churn-card", "--from", str(source))
    assert result.exit_code == 4
    assert one_line(result) == (
        "refused: Invalid model card content at $.intended_uses.risk_rating: "
        "'Extreme' is not one of ['High', 'Medium', 'Low', 'Unknown']"
    )


def test_search_values_of_a_closed_set_match_in_any_case(cli: Cli) -> None:
    _card(cli, "churn-a", "Medium")
    _card(cli, "churn-b", "High", "PendingReview")
    _card(cli, "fraud", "Low", "Approved")

    def found(text: str) -> list[str]:
        return sorted(hit["name"] for hit in cli.json("search", "cards", text))

    assert found("risk = medium") == ["churn-a"]
    assert found("risk = MEDIUM") == found("risk = Medium") == ["churn-a"]
    assert found("risk != medium") == ["churn-b", "fraud"]
    assert found("status in (draft, pendingreview)") == ["churn-a", "churn-b"]
    assert found("name = CHURN-A") == []  # a name is not a closed set: exact, as stored


def test_search_value_outside_a_closed_set_names_the_accepted_values(cli: Cli) -> None:
    _card(cli, "churn-a", "Medium")
    result = cli("search", "cards", "risk = extreme")
    assert result.exit_code == 4
    line = one_line(result)
    assert line.startswith("refused: ")
    assert line.endswith(
        "at column 1: 'extreme' is not a risk rating: use one of High, Low, Medium, Unknown"
    )
    result = cli("search", "packages", "group = churn and approval in (approved, maybe)")
    assert result.exit_code == 4
    assert "'maybe' is not an approval status: use one of Approved, PendingManualApproval, " in (
        result.stderr
    )
