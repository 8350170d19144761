"""The wire: the request and response bodies of the REST API, shared by the REST door, the
Python client and the CLI.

It imports pydantic and Cardinal's domain only, so that ``import cardinal.client`` loads no
server code (no FastAPI, Starlette, SQLAlchemy or WeasyPrint). Path and query parameters, which
need FastAPI, stay in ``cardinal.api.rest``.
"""
