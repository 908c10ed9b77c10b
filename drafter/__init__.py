"""drafter: one grounded, give-first outreach message to one person.

The public Python API is small and stable: ``draft`` (the pipeline), the request and result
types, and the error tree. Submodules are imported lazily so that ``drafter --help`` and
``drafter score`` never pay for litellm or llama.cpp.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
