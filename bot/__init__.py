"""Densaulyq bot: answers citizens of Kazakhstan about state healthcare programmes."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
