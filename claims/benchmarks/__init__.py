"""The benchmarks of `manage.py bench`: each API read against its floor (floors.py,
on records chosen by scenarios.py, compared by compare.py)."""

from .compare import canonical, first_difference
from .floors import floor_export, median, percentile
from .scenarios import ExportTarget, Scenario, export_target, scenarios

__all__ = [
    "ExportTarget",
    "Scenario",
    "canonical",
    "export_target",
    "first_difference",
    "floor_export",
    "median",
    "percentile",
    "scenarios",
]
