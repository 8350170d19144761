"""``client.unversioned_packages``: model packages that belong to no group (SageMaker's
unversioned model packages): create, read, list, update, delete. Answers are the API's own
pydantic models."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

from cardinal.client.http import Http, present
from cardinal.wire.unversioned_packages import UnversionedPackageRead


def _package(name: str) -> str:
    return f"/packages/{quote(name, safe='')}"


class UnversionedPackages:
    """The ``/packages`` resource."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def create(
        self,
        name: str,
        *,
        description: str | None = None,
        inference_specification: Mapping[str, Any] | None = None,
        certify_for_marketplace: bool = False,
        customer_metadata: Mapping[str, str] | None = None,
        lifecycle: Mapping[str, str] | None = None,
        source_uri: str | None = None,
        domain: str | None = None,
        task: str | None = None,
        tags: Mapping[str, str] | None = None,
        client_token: str | None = None,
    ) -> UnversionedPackageRead:
        """Create an unversioned package (409 if the name is taken, unless ``client_token``
        repeats the first creation's). An inference specification names the transform and
        real-time instance types."""
        body = present(
            name=name,
            description=description,
            inference_specification=(
                None if inference_specification is None else dict(inference_specification)
            ),
            certify_for_marketplace=certify_for_marketplace or None,
            customer_metadata=None if customer_metadata is None else dict(customer_metadata),
            lifecycle=None if lifecycle is None else dict(lifecycle),
            source_uri=source_uri,
            domain=domain,
            task=task,
            tags=None if tags is None else dict(tags),
            client_token=client_token,
        )
        return self._http.model(UnversionedPackageRead, "POST", "/packages", json_body=body)[0]

    def get(self, name: str) -> UnversionedPackageRead:
        return self._http.model(UnversionedPackageRead, "GET", _package(name))[0]

    def list(
        self, *, name_contains: str | None = None, page_size: int = 50
    ) -> Iterator[UnversionedPackageRead]:
        """Every unversioned package, oldest first, fetched a page at a time."""
        params = {"name_contains": name_contains, "limit": page_size}
        return self._http.pages(UnversionedPackageRead, "/packages", params)

    def update(
        self,
        name: str,
        *,
        customer_metadata: Mapping[str, str | None] | None = None,
        lifecycle: Mapping[str, str] | None = None,
        source_uri: str | None = None,
    ) -> UnversionedPackageRead:
        """Set or remove customer metadata (a key with None is removed), replace the lifecycle
        stage or the source URI."""
        body = present(
            customer_metadata=None if customer_metadata is None else dict(customer_metadata),
            lifecycle=None if lifecycle is None else dict(lifecycle),
            source_uri=source_uri,
        )
        path = _package(name)
        return self._http.model(UnversionedPackageRead, "PATCH", path, json_body=body)[0]

    def delete(self, name: str) -> None:
        """Delete an unversioned package and its tags (409 while a model card documents it)."""
        self._http.request("DELETE", _package(name))
