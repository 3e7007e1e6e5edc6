"""Presenting results: terminal tables now; plots and the HTML report come with the report issue."""
