"""The knowledge pages: practices, requests (and the partners' own request pages), commitments.

Each part keeps its routes in its own module; they share the "knowledge" namespace.
"""

from .urls_attachments import urlpatterns as attachment_urls
from .urls_commitments import urlpatterns as commitment_urls
from .urls_practices import urlpatterns as practice_urls
from .urls_requests import urlpatterns as request_urls

app_name = "knowledge"

urlpatterns = practice_urls + request_urls + commitment_urls + attachment_urls
