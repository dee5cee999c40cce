"""Spreadsheet exports that are safe to open: see :mod:`exports.csv_safety`."""
