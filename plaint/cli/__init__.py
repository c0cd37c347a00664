"""The command line: parses options, calls into plaint.core, and exits in one place."""
