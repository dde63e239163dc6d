import pytest

PAGES = [
    "/",
    "/organizations/",
    "/organizations/OSCE/",
    "/organizations/UN/",
    "/countries/",
    "/countries/FRA/",
    "/partnerships/",
    "/people/",
    "/documents/",
    "/organizations/UN/history/",
    "/organizations/add/",
    "/organizations/UN/edit/",
    "/partnerships/add/",
    "/people/add/",
    "/documents/add/",
    "/memberships/add/?organization=UN",
]


@pytest.mark.parametrize("url", PAGES)
def test_editor_pages_render(world, client_for, url):
    response = client_for(world.users.editor).get(url)
    assert response.status_code == 200, response.content[:2000]
