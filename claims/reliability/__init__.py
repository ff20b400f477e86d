"""Reliability checks beyond the test suite: a digest of a whole database (to prove
a backup restores it), and the fault and load runs of `manage.py reliability`,
which write docs/reliability.md."""
