"""The consent fixtures (a small published registry, a published policy) for the evidence tests."""

from tests.consent.conftest import policy_version, registry  # noqa: F401
