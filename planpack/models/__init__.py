"""The plan format and the programme configuration, as pydantic models."""

from planpack.models.plan import Plan
from planpack.models.program import Program

__all__ = ["Plan", "Program"]
