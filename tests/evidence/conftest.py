"""The consent fixtures (a published policy) for the evidence tests; the registry is tests/fixtures."""

from tests.consent.conftest import policy_version  # noqa: F401
