"""The simulator page in Chromium on a phone with JavaScript off, as a demo buyer uses it: type the VA number and
press Bayar, then press Bayar beside the QRIS transaction; the page says it worked and the gateway agrees."""

from tests.browser import screenshot_on_failure


def test_a_buyer_pays_a_va_and_a_qris_on_the_simulator_without_javascript(browser, midtrans_sandbox):
    va = midtrans_sandbox.charge("opop-b-1", 44000)["va_numbers"][0]["va_number"]
    midtrans_sandbox.charge("opop-b-2", 125000, payment_type="qris")
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    try:
        with screenshot_on_failure(page, "midtrans-simulator"):
            page.goto(f"{midtrans_sandbox.base_url}/simulator")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone
            page.fill('input[name="va_number"]', va)
            page.get_by_role("button", name="Bayar").first.click()
            result = page.inner_text('[data-testid="result"]')
            assert "Pembayaran berhasil" in result and "Rp 44.000" in result and "opop-b-1" in result

            page.locator('tr:has-text("opop-b-2")').get_by_role("button", name="Bayar").click()
            assert "opop-b-2" in page.inner_text('[data-testid="result"]')
            assert page.locator('tr:has-text("opop-b-2")').count() == 0  # no longer waiting

            page.fill('input[name="va_number"]', va)
            page.get_by_role("button", name="Bayar").first.click()
            assert "Pembayaran gagal" in page.inner_text('[data-testid="result"]')
    finally:
        context.close()
    assert midtrans_sandbox.status("opop-b-1")["transaction_status"] == "settlement"
    assert midtrans_sandbox.status("opop-b-2")["transaction_status"] == "settlement"
