"""The results folder: writing a run atomically and reading it back for analysts."""
