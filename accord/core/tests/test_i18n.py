"""The language switcher, on every page including the login page."""


def test_the_language_switcher_works_before_logging_in(client, db):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.cookies["django_language"].value == "ru"
    assert "Войти" in client.get("/login/").content.decode()


def test_the_switcher_sends_nobody_to_another_site(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "https://elsewhere.example/"}
    )
    assert response.status_code == 302
    assert "elsewhere" not in response["Location"]
