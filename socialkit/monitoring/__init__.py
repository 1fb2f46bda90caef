"""Monitoring & evaluation: indicator framework, progress and status, aggregation, data quality,
Excel round trip, and service-quality scorecards."""

from .framework import IndicatorFramework, load_framework
from .rubric import Rubric, load_rubric

__all__ = ["IndicatorFramework", "Rubric", "load_framework", "load_rubric"]
