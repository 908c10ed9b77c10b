"""The HTTP API: a thin adapter over the pipeline. See ``drafter.api.app.create_app``."""
