"""Cart and checkout pages. A guest's cart token lives in the (signed) session cookie; logging in merges it."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, user_logged_in
from sqlalchemy.exc import IntegrityError

from marketplace.checkout import addresses, services
from marketplace.checkout import cart as carts
from marketplace.core.errors import DomainError, ValidationError
from marketplace.core.numbers import MAX_DB_INT, parse_int
from marketplace.core.regions import PROVINCE, REGIONS
from marketplace.core.throttle import limit
from marketplace.extensions import db
from marketplace.inventory.errors import InsufficientStock

bp = Blueprint("checkout", __name__)
SESSION_KEY = "cart_token"


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _current_cart(create: bool = False):
    if create:
        cart = carts.get_or_create_cart(_user_id(), session.get(SESSION_KEY))
        if not _user_id():
            session[SESSION_KEY] = cart.token
        return cart
    return carts.find_cart(_user_id(), session.get(SESSION_KEY))


def _int(name: str, default: int | None = None) -> int | None:
    return parse_int(request.form.get(name, ""), default, minimum=-MAX_DB_INT)


@user_logged_in.connect
def _merge_on_login(sender, user, **extra):
    carts.merge_guest_cart(session.pop(SESSION_KEY, None), user.id)
    db.session.commit()


def cart_badge() -> int:
    """Item count for the top bar (one small query, only when a template asks)."""
    return carts.cart_item_count(_user_id(), session.get(SESSION_KEY))


@bp.app_context_processor
def _cart_globals():
    return {"cart_count": cart_badge}


@bp.get("/keranjang")
def cart():
    cart = _current_cart()
    summary = carts.summarise(cart) if cart else None
    return render_template("checkout/cart.html", summary=summary)


@bp.post("/keranjang/tambah")
@limit("CHECKOUT_LIMIT")
def add():
    variant_id, quantity = _int("variant"), _int("quantity", 1)
    back = request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("checkout.cart")
    if variant_id is None:
        flash(_("Pilih varian terlebih dahulu."), "error")
        return redirect(back)
    try:
        carts.add_to_cart(_current_cart(create=True), variant_id, quantity, product_id=_int("product"))
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    flash(_("Ditambahkan ke keranjang."), "success")
    # "Beli sekarang" means checkout now; a guest is asked to log in on the way and comes back there.
    return redirect(url_for("checkout.address") if request.form.get("buy_now") else back)


@bp.post("/keranjang/baris/<int:line_id>")
def update(line_id: int):
    cart = _current_cart()
    if cart is None:
        return redirect(url_for("checkout.cart"))
    quantity = 0 if request.form.get("remove") else _int("quantity")
    try:
        if quantity is None:
            raise ValidationError(_("Jumlah tidak valid."))
        carts.update_line(cart, line_id, quantity)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
    return redirect(url_for("checkout.cart"))


def _begin(cart):
    """Holds the stock; on a shortage, back to the cart with every short line listed."""
    try:
        summary = services.begin_checkout(cart)
    except (InsufficientStock, ValidationError) as error:
        db.session.rollback()
        flash(error.message, "error")
        return None
    db.session.commit()
    return summary


@bp.route("/checkout/alamat", methods=["GET", "POST"])
@login_required
def address():
    cart = _current_cart()
    if cart is None or not cart.lines:
        return redirect(url_for("checkout.cart"))
    error = None
    values = cart.address or addresses.last_address(current_user.id) or {"province": PROVINCE}
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            services.save_address(cart, current_user, values)
        except ValidationError as exc:
            db.session.rollback()
            error = exc
        else:
            db.session.commit()
            return redirect(url_for("checkout.review"))
    elif _begin(cart) is None:
        return redirect(url_for("checkout.cart"))
    return render_template("checkout/address.html", values=values, error=error, provinces=addresses.PROVINCES,
                           regions=REGIONS, province=PROVINCE), 400 if error else 200


def _render_review(cart, summary, error: DomainError | None = None, status: int = 200):
    quotes = services.quotes(cart, summary)
    return render_template("checkout/review.html", cart=cart, summary=summary, quotes=quotes,
                           total=services.grand_total(summary, quotes),
                           address_text=addresses.format_address(cart.address), error=error), status


@bp.get("/checkout")
@login_required
def review():
    cart = _current_cart()
    if cart is None or not cart.lines:
        return redirect(url_for("checkout.cart"))
    if not cart.address:
        return redirect(url_for("checkout.address"))
    summary = _begin(cart)
    if summary is None:
        return redirect(url_for("checkout.cart"))
    return _render_review(cart, summary)


@bp.post("/checkout/<token>/selesai")
@limit("CHECKOUT_LIMIT")
@login_required
def complete(token: str):
    """Idempotent: the token names the checkout, so a double click finds the orders the first click made."""
    done = services.existing_result(token)
    if done and all(o.user_id == current_user.id for o in done.orders):
        return redirect(url_for("payments.pay", token=token))
    cart = _current_cart()
    if cart is None or cart.token != token:
        flash(_("Keranjang sudah berubah. Periksa lagi sebelum membuat pesanan."), "error")
        return redirect(url_for("checkout.cart"))
    choices = {key.removeprefix("kurir_"): value for key, value in request.form.items() if key.startswith("kurir_")}
    try:
        services.complete_checkout(cart, current_user, choices, request.form.get("note", ""),
                                   seen_subtotal=_int("subtotal_seen"))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a twin request completed this checkout first
        if services.existing_result(token) is None:
            raise
    except (InsufficientStock, ValidationError) as error:
        db.session.rollback()
        cart = _current_cart()
        return _render_review(cart, carts.summarise(cart), error, 409 if isinstance(error, InsufficientStock) else 400)
    return redirect(url_for("payments.pay", token=token))
