"""REST endpoints of practices, requests and commitments (`router`, wired in accord/api.py)."""

from .attachments import router as attachments_router
from .endpoints import router

router.add_router("", attachments_router)

__all__ = ["router"]
