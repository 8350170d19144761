"""The web UI door: server-rendered pages for reviewers, approvers and auditors."""
