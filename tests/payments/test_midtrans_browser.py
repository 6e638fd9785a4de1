"""On a 390×844 phone (Chromium): a buyer pays one cart by bank virtual account and one by QRIS. The sandbox's
/simulator page, opened in another tab, plays the bank app; back on our page "Cek status pembayaran" finds the
money and the order reads "Dikemas". With OPOP_SCREENSHOTS_DIR set, the walk saves the payment choice, the VA
page and the QRIS page there (docs/screenshots/ holds the ones taken once)."""

import os
from pathlib import Path

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.browser import screenshot_on_failure
from tests.payments.test_midtrans_end_to_end import drain_outbox
from tests.payments.test_stripe_end_to_end import _checkout, _shop

SHOTS = os.environ.get("OPOP_SCREENSHOTS_DIR")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


def _phone(browser, app, client):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True,
                                  has_touch=True, locale="id-ID")
    context.add_cookies([{"name": "session", "value": client.get_cookie("session").value,
                          "url": app.config["PUBLIC_BASE_URL"]}])
    context.csp_violations = []
    context.on("console", lambda m: context.csp_violations.append(m.text)
               if "Content Security Policy" in m.text else None)
    return context


def _order_number(app, token) -> str:
    with app.app_context():
        return db.session.scalar(select(Order.number).where(Order.checkout_token == token))


def _pay_in_simulator(context, sandbox, fill_va: str | None = None, order_ref: str | None = None) -> None:
    bank = context.new_page()
    bank.goto(f"{sandbox.base_url}/simulator")
    if fill_va:
        bank.fill('input[name="va_number"]', fill_va)
        bank.locator('form:has(input[name="va_number"]) button').first.click()
    else:
        bank.locator(f'form:has(input[name="order_id"][value="{order_ref}"]) button').click()
    result = bank.locator('[data-testid="result"]')
    assert result.get_attribute("class") == "ok", result.inner_text()
    bank.close()


def _back_and_check(page, app, token) -> None:
    page.bring_to_front()
    page.get_by_role("button", name="Cek status pembayaran").click()
    page.wait_for_selector('[data-testid="paid"]', timeout=10000)
    assert "Pembayaran diterima" in page.inner_text('[data-testid="paid"]')
    page.goto(f"{app.config['PUBLIC_BASE_URL']}/pesanan/{_order_number(app, token)}")
    assert "Dikemas" in page.inner_text("main")


def test_a_phone_buyer_pays_one_cart_by_va_and_one_by_qris(live_app, midtrans_sandbox, browser):
    app = live_app
    app.config["MIDTRANS_API_BASE"] = midtrans_sandbox.base_url
    base = app.config["PUBLIC_BASE_URL"]
    shop = _shop(app)

    client, token = _checkout(app, shop)
    context = _phone(browser, app, client)
    page = context.new_page()
    with screenshot_on_failure(page, "midtrans-va-phone"):
        page.goto(f"{base}/pembayaran/{token}")
        _shot(page, "phone-payment-choice.png")
        page.locator('button[data-method="va_bca"]').click()
        number = page.inner_text('[data-testid="va-number"]').strip()
        assert number.isdigit() and "Belum bayar" in page.inner_text("main")
        assert page.locator("[data-countdown-left]").inner_text().startswith("· Sisa waktu")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the VA page scrolls sideways by {overflow}px"
        _shot(page, "phone-va.png")
        _pay_in_simulator(context, midtrans_sandbox, fill_va=number)
        _back_and_check(page, app, token)
    assert context.csp_violations == []
    context.close()
    drain_outbox(app)

    client, token = _checkout(app, shop)
    context = _phone(browser, app, client)
    page = context.new_page()
    with screenshot_on_failure(page, "midtrans-qris-phone"):
        page.goto(f"{base}/pembayaran/{token}")
        page.locator('button[data-method="qris"]').click()
        image = page.locator('[data-testid="qr-image"]')
        page.wait_for_function("() => { const img = document.querySelector('[data-testid=qr-image]');"
                               " return img && img.complete && img.naturalWidth > 100; }", timeout=5000)
        assert image.get_attribute("src").startswith("/pembayaran/")  # drawn by our app, not hotlinked
        _shot(page, "phone-qris.png")
        with app.app_context():
            from marketplace.payments.models import Payment

            ref = db.session.scalar(select(Payment).where(Payment.checkout_token == token)).details["charge"]
        _pay_in_simulator(context, midtrans_sandbox, order_ref=ref)
        _back_and_check(page, app, token)
    assert context.csp_violations == []
    context.close()
    drain_outbox(app)
