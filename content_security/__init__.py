"""Content-Security-Policy for the public site: django-csp plus what the published registry needs.

Sits between the registry (whose published scripts it allows) and the features that emit inline
code (``consent``'s banner uses ``csp_hash``/``script_text_for_html`` from here).
"""
