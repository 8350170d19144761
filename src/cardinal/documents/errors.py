"""The one error the document renderers raise.

A rendering failure is not the caller's fault and not a missing resource: the request is well
formed, but this installation cannot produce the format (WeasyPrint or its system libraries are
missing) or the stored content cannot be carried by it. ``InvalidState`` is the closest of the
domain's kinds, so every door already maps it (409 / ConflictException).
"""

from __future__ import annotations

from cardinal.domain.errors import InvalidState


class DocumentError(InvalidState):
    """A card document could not be rendered in the requested format."""
