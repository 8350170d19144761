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
from tests.support.identities import issue
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
    """A server in open mode (callers name themselves)."""
    running = start_server(database_url, tmp_path / "server")
    yield running
    running.stop()


@pytest.fixture
def secured_server(database_url: str, tmp_path: Path) -> Iterator[RunningServer]:
    """A server with authentication on, and the access key of ``alice``, an approver."""
    data_dir = tmp_path / "server"
    alice = issue(database_url, data_dir, "alice")
    running = start_server(database_url, data_dir, extra_env={"CARDINAL_AUTH": "on"})
    running.credentials = (alice.access_key_id, alice.secret_access_key)
    yield running
    running.stop()


def make_client(
    endpoint: str, *, key: str = "alice", region: str = REGION, secret: str = "unused"
) -> object:
    return boto3.client(
        "sagemaker",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def client_for(server: RunningServer) -> object:
    """A boto3 SageMaker client of ``server``, signing with its key if it has one."""
    if server.credentials is None:
        return make_client(server.url)
    key, secret = server.credentials
    return make_client(server.url, key=key, secret=secret)


@pytest.fixture
def sagemaker(server: RunningServer) -> object:
    """A boto3 SageMaker client pointed at the running server."""
    return client_for(server)
