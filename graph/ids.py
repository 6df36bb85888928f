"""The shapes of the graph's identifiers: GSS codes, slugs, ISO dates, provenance sources."""

import re

GSS_COUNCIL = re.compile(r"^E(06|07|08|09|10)\d{6}$")
GSS_REGION = re.compile(r"^E12\d{6}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def source_shape(v: str) -> str:
    """A provenance source: a document id, `curated` or `user:<who>`."""
    if v == "curated" or v.startswith("user:") or SLUG.match(v):
        return v
    raise ValueError("must be a document id, 'curated' or 'user:<who>'")
