"""TRANSITIONAL aliases for code that still imports the old page-cache token helpers.

The page cache has no tokens of its own any more: it is keyed by the site generation
(``site_data.generation``). Remove this module once no app imports it.
"""

from site_data.generation import current_generation as site_data_token
from site_data.generation import shared_per_generation as shared_until_site_data_changes

__all__ = ["shared_until_site_data_changes", "site_data_token"]
