def test_home_renders(client, make_product):
    product = make_product(name="Kopi Robusta Jember", is_flagship=True)
    response = client.get("/")
    assert response.status_code == 200
    assert product.name in response.get_data(as_text=True)
