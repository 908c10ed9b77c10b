"""The eval suite: versioned cases and rubrics as data, three tiers, reports and a CI gate.

``drafter eval --tier replay|local|live`` runs every case of ``evals/datasets/`` through
``drafter.pipeline.draft`` and judges each draft with the criteria of ``evals/rubrics/``. The
criteria are computed from the service's own scorer and checks (``drafter.scoring``,
``Draft.checks``), so the eval and the service cannot drift. See ``evals/README.md``.

Import-light: ``drafter.evals.cli`` imports only argparse; the rest loads when a run starts.
"""
