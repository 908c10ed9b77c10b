"""Helpers of :mod:`drafter.fetch`: the address policy and the bounded body reader.

Import :func:`drafter.fetch.fetch_work` rather than these modules; they are split out only to
keep each module small and separately testable.
"""
