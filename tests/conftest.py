"""Fixtures shared by every test: databases on both backends, services, a real server, boto3."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from cardinal.domain.identifiers import Scope
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.store.objects import DirectoryObjectStore
from tests.support.databases import PostgresDatabases, postgres_available, sqlite_url
from tests.support.server import RunningServer, start_server

ACCOUNT = "000000000000"
REGION = "us-east-1"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases]:
    problem = postgres_available()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL tests must run under CI=true, but {problem}")
        pytest.skip(problem)
    databases = PostgresDatabases()
    yield databases
    databases.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated database on the backend under test."""
    if backend == "sqlite":
        yield sqlite_url(tmp_path)
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    with databases.fresh() as url:
        yield url


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    built = Services.for_database(database_url, DirectoryObjectStore(tmp_path / "exports"))
    yield built
    built.close()


@pytest.fixture
def ctx() -> RequestContext:
    return RequestContext(Scope(ACCOUNT, REGION), actor="alice", request_id="test")


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(database_url, tmp_path / "server")
    yield running
    running.stop()


def make_client(endpoint: str, *, key: str = "alice", region: str = REGION) -> object:
    return boto3.client(
        "sagemaker",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key="unused",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


@pytest.fixture
def sagemaker(server: RunningServer) -> object:
    """A boto3 SageMaker client pointed at the running server."""
    return make_client(server.url)
