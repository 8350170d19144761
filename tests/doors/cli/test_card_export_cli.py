"""`cardinal card export` and `cardinal card export-job`: the demo's cards as documents, against a
running server and a local store, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import threading

import pytest
from huggingface_hub import ModelCard

from cardinal.domain.identifiers import Scope
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.demo import seed_demo_registry
from tests.support.cli import Cli, one_line
from tests.support.demo_pdf import check_demo_pdf
from tests.unit.documents.reading import front_matter, pdf_pages


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.fixture
def demo(cli: Cli, database_url: str) -> Cli:
    services = Services.for_database(database_url)
    try:
        seed_demo_registry(
            services, RequestContext(Scope("000000000000", "us-east-1"), "demo", "t")
        )
    finally:
        services.close()
    return cli


def test_the_demo_cards_export_to_pdf_with_every_section_metric_and_hash(demo: Cli) -> None:
    for card in ("customer-churn-v2", "customer-churn-v1"):
        target = demo.files / f"{card}.pdf"
        ran = demo.ok("card", "export", card, "--format", "pdf", "-o", str(target))
        assert ran.stderr.startswith(f"Wrote model card {card} as PDF (")
        check_demo_pdf(target.read_bytes(), demo.json("card", "show", card))


def test_any_version_in_any_format(demo: Cli) -> None:
    v1 = demo.json("card", "show", "customer-churn-v1", "--version", "1")
    demo.ok(
        "card", "export", "customer-churn-v1", "--version", "1", "-f", "json", "-o", str(demo.files)
    )
    exported = json.loads((demo.files / "customer-churn-v1-v1.json").read_text())
    assert exported["content"] == v1["content"]
    assert exported["content_sha256"] == v1["content_sha256"]

    html = demo.files / "card.html"
    demo.ok("card", "export", "customer-churn-v2", "--format", "html", "-o", str(html))
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") >= 2  # the confusion matrix and the ROC curve

    markdown = demo.files / "card.md"
    demo.ok("card", "export", "customer-churn-v2", "--format", "md", "-o", str(markdown))
    assert "## Evaluation details" in markdown.read_text()

    readme = demo.files / "README.md"
    demo.ok("card", "export", "customer-churn-v2", "--format", "hf", "-o", str(readme))
    loaded = ModelCard.load(readme)
    assert loaded.data.model_name == "customer-churn-v2"
    assert loaded.data.eval_results is not None
    values = {
        result.metric_name.split(": ")[-1]: result.metric_value
        for result in loaded.data.eval_results
    }
    assert values == {"auc": 0.884, "accuracy": 0.896}
    assert front_matter(readme.read_text())["model-index"]


def test_export_to_stdout(demo: Cli) -> None:
    ran = demo.process("card", "export", "customer-churn-v2", "--format", "md", "-o", "-")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("# customer-churn-v2")
    assert "Wrote model card customer-churn-v2 as MARKDOWN" in ran.stderr


def test_an_archived_card_exports(demo: Cli) -> None:
    demo.ok("card", "status", "customer-churn-v1", "Archived")
    target = demo.files / "archived.pdf"
    demo.ok("card", "export", "customer-churn-v1", "-o", str(target))
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert "Status Archived" in "\n".join(pdf_pages(target.read_bytes())).splitlines()


def test_what_cannot_be_exported_is_one_line_and_an_exit_code(demo: Cli) -> None:
    target = demo.files / "never.pdf"
    ran = demo("card", "export", "no-such-card", "-o", str(target))
    assert (ran.exit_code, one_line(ran)) == (
        3,
        "not found: Model card 'no-such-card' does not exist.",
    )
    ran = demo("card", "export", "customer-churn-v2", "--version", "9", "-o", str(target))
    assert ran.exit_code == 3
    assert "has no version 9" in one_line(ran)
    ran = demo("card", "export", "customer-churn-v2", "--format", "docx")
    assert ran.exit_code == 2
    ran = demo("card", "export", "customer-churn-v2", "-o", str(demo.files / "missing" / "x.pdf"))
    assert ran.exit_code == 2
    assert one_line(ran).startswith(f"error: cannot write {demo.files / 'missing' / 'x.pdf'}")
    assert not target.exists()
    assert sorted(p.name for p in demo.files.iterdir()) == []


def test_an_export_job_completes_and_its_artifact_downloads(demo: Cli) -> None:
    started = demo.json(
        "card", "export-job", "start", "customer-churn-v1", "audit-2026", "--to", "s3://audits/q4"
    )
    artifact = "s3://audits/q4/customer-churn-v1/audit-2026/customer-churn-v1-v2.pdf"
    assert (started["status"], started["artifact_uri"]) == ("Completed", artifact)
    stored = (
        demo.data_dir
        / "exports"
        / "audits/q4/customer-churn-v1/audit-2026/customer-churn-v1-v2.pdf"
    )
    assert stored.read_bytes().startswith(b"%PDF-")

    downloaded = demo.files / "audit.pdf"
    demo.ok(
        "card", "export-job", "download", "customer-churn-v1", "audit-2026", "-o", str(downloaded)
    )
    assert downloaded.read_bytes() == stored.read_bytes()
    shown = demo.yaml("card", "export-job", "show", "customer-churn-v1", "audit-2026")
    assert (shown["card_version"], shown["format"]) == (2, "pdf")
    listed = demo.ok("card", "export-job", "list", "customer-churn-v1").stdout
    assert "audit-2026" in listed
    assert "Completed" in listed

    again = demo(
        "card", "export-job", "start", "customer-churn-v1", "audit-2026", "--to", "s3://audits"
    )
    assert again.exit_code == 4
    assert "already" in one_line(again)


def test_a_job_that_cannot_write_ends_failed_with_exit_1(demo: Cli) -> None:
    exports = demo.data_dir / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    (exports / "blocked").write_text("a file where the bucket's directory would go")
    ran = demo(
        "card",
        "export-job",
        "start",
        "customer-churn-v2",
        "nowhere",
        "--to",
        "s3://blocked/x",
        "-f",
        "md",
    )
    assert ran.exit_code == 1
    assert ran.stdout.startswith("FAILED: export job nowhere of model card customer-churn-v2: ")
    assert ran.stdout.endswith(
        ": cannot write s3://blocked/x/customer-churn-v2/nowhere/customer-churn-v2-v2.md: "
        "Not a directory\n"
    )
    assert str(demo.data_dir) not in ran.stdout
    failed = demo.json("card", "export-job", "list", "customer-churn-v2", "--status", "Failed")
    assert [(j["name"], j["artifact_uri"]) for j in failed] == [("nowhere", None)]
    ran = demo("card", "export-job", "start", "no-such-card", "again", "--to", "s3://audits")
    assert ran.exit_code == 3
    # A local store's export worker stops with the command, also when the command fails.
    assert "cardinal-export-worker" not in {thread.name for thread in threading.enumerate()}
    ran = demo(
        "card",
        "export-job",
        "download",
        "customer-churn-v2",
        "nowhere",
        "-o",
        str(demo.files / "x"),
    )
    assert ran.exit_code == 3
    assert "it is Failed" in one_line(ran)
    ran = demo("card", "export-job", "start", "customer-churn-v2", "bad", "--to", "ftp://x/y")
    assert ran.exit_code == 4
    assert demo.json("card", "export-job", "list", "customer-churn-v2") == failed


def test_the_real_command_runs_an_export(demo: Cli) -> None:
    target = demo.files / "real.pdf"
    ran = demo.process("card", "export", "customer-churn-v2", "-o", str(target))
    assert ran.returncode == 0, ran.stderr
    assert target.read_bytes().startswith(b"%PDF-")
