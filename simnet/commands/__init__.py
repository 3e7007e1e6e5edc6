"""Command-line commands kept out of ``simnet/cli.py`` so each stays small: parse, call, print."""
