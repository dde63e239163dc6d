"""Wiring of the REST API under /api/v1: routers only, no logic."""

from accord.analytics.api import router as analytics_router
from accord.core.api import auth_router, create_api
from accord.core.deletions_api import router as deletions_router
from accord.journal.api import router as journal_router
from accord.knowledge.api import router as knowledge_router
from accord.meetings.api import router as meetings_router
from accord.meetings.api.engagement import router as engagement_router
from accord.registry.api import router as registry_router
from accord.search.api import router as search_router

api = create_api()
api.add_router("/auth", auth_router)
api.add_router("", registry_router)
api.add_router("", deletions_router)
api.add_router("", journal_router)
api.add_router("", meetings_router)
api.add_router("", engagement_router)
api.add_router("", search_router)
api.add_router("", knowledge_router)
api.add_router("", analytics_router)
