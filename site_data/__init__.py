"""The invalidation core: one generation token for everything the public site shows.

Any committed change that alters public output (a publish, a registry write, a settings save)
bumps the **site generation**. Caches of public output (the page cache, the per-worker published
snapshot, CSP sources …) are keyed by it, so one bump retires them on every worker and instance.

Apps say what alters public output in their own ``AppConfig.ready()``::

    from site_data.generation import watch_models
    watch_models(MyModel, ignore_fields={"locked", "locked_at"})

This package imports no project app; the apps import it.
"""
