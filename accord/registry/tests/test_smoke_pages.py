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


def test_the_also_in_the_home_column_is_only_on_other_organizations_pages(world, client_for):
    client = client_for(world.users.viewer)
    home = client.get("/organizations/OSCE/").content.decode()
    assert "Also in the home organization" not in home
    assert "France" in home
    un = client.get("/organizations/UN/").content.decode()
    assert "Also in the home organization" in un

    # France is in both the UN and the OSCE; China only in the UN (rows of the members table).
    def row(name):
        start = un.index(f'<td><a href="/countries/{name}/">')
        return un[start : un.index("</tr>", start)]

    assert "✔" in row("FRA")
    assert "✔" not in row("CHN")
