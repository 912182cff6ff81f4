def test_home_page_renders_in_german(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"
    assert b'<html lang="de"' in response.content
