"""Presenting results: the terminal tables and the self-contained HTML report."""
