"""hakusho: Japanese white-paper text into analysis-ready tables.

`pipeline.load("output")` returns the tables of a run as pandas DataFrames.
"""
from .load import load

__all__ = ["load"]
__version__ = "0.1.0"
