"""REST endpoints of meetings, series and actions (`router`, wired in accord/api.py)."""

from .endpoints import router

__all__ = ["router"]
