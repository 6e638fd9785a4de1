"""The channel pages of the seller dashboard (area "channels": owner and admin): accounts and their status, the
connect flow, listings with match state, the per-listing sync log, and the actions on errors (reconnect,
re-match, retry). Another koperasi's account or listing ids answer 404."""

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace.channels import queries, services
from marketplace.channels.adapters import adapter_for, platforms
from marketplace.channels.forms import AccountRuleForm, ActionForm, BundleForm, ListingRuleForm, MatchForm
from marketplace.core.celery import enqueue
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.headers import allow_form_targets
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi
from marketplace.koperasi.roles import AREA_ROLES, can, role_label
from marketplace.koperasi.services import membership_for, memberships_of

bp = Blueprint("channels", __name__)
AREA = "channels"


def channels_view(view: Callable) -> Callable:
    """The dashboard's access rule (koperasi.roles) for the channels area: the view gets the checked membership
    instead of the slug; a koperasi the user is not in, or a role without the area, is a 404."""

    @wraps(view)
    def wrapper(slug: str, **kwargs):
        membership = membership_for(current_user, slug, set(AREA_ROLES[AREA]))
        g.membership = membership
        return view(membership, **kwargs)

    wrapper.seller_area = AREA
    return wrapper


@bp.context_processor
def _dashboard_globals():
    """What the dashboard layout (templates/seller/_layout.html) needs around these pages."""
    membership = g.get("membership")
    if membership is None:
        return {"role_label": role_label}
    others = [m for m in memberships_of(current_user) if m.koperasi_id != membership.koperasi_id]
    return {"membership": membership, "koperasi": membership.koperasi, "can": lambda area: can(membership, area),
            "other_memberships": others, "role_label": role_label}


@bp.before_request
@login_required
def _require_login():
    return None


def _enqueue(task: str, *args) -> None:
    enqueue(task, *args, queue="channel.push")


def _done(error: DomainError | None, success: str) -> None:
    if error is None:
        db.session.commit()
        flash(success, "success")
    else:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise error
        flash(error.message, "error")


def _with_connect_buttons(html: str):
    """A page with a (re)connect button: its POST is answered with a redirect to the partner's authorise page,
    which the browser follows only if the page's CSP form-action names that site."""
    pages = [adapter_for(p).authorise_url(url_for("channels.callback", platform=p, _external=True), "")
             for p in platforms()]
    return allow_form_targets(make_response(html), pages)


@bp.get("/seller/<slug>/kanal/")
@channels_view
def accounts(membership):
    return _with_connect_buttons(render_template(
        "channels/accounts.html", accounts=services.accounts_of(membership.koperasi_id), platforms=platforms(),
        platform_label=services.platform_label, form=ActionForm()))


@bp.route("/seller/<slug>/kanal/paket", methods=["GET", "POST"])
@channels_view
def bundles(membership):
    """Bundles: a partner listing made of several of our variants shows what the scarcest part allows."""
    form = BundleForm()
    if request.method == "POST":
        error = None
        if not form.validate_on_submit():
            error = DomainError(_("Isian tidak valid."))
        else:
            try:
                services.create_bundle_from_text(membership.koperasi_id, form.sku.data, form.name.data,
                                                 form.parts.data)
            except DomainError as caught:
                error = caught
        _done(error, _("Paket disimpan. Listing mitra dengan SKU ini dicocokkan saat listing dibaca ulang."))
        if error is None:
            return redirect(url_for("channels.bundles", slug=membership.koperasi.slug))
    return render_template("channels/bundles.html", bundles=services.bundles_of(membership.koperasi_id), form=form)


@bp.post("/seller/<slug>/kanal/hubungkan/<platform>")
@channels_view
def connect(membership, platform: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    callback = url_for("channels.callback", platform=services.check_platform(platform), _external=True)
    return redirect(services.authorise_url(membership.koperasi, platform, current_user.id, callback))


@bp.get("/channels/<platform>/callback")
def callback(platform: str):
    """The partner sends the shop owner back here; the signed state says which koperasi asked."""
    state = services.peek_state(request.args.get("state") or "")
    if state is None:
        flash(_("Jawaban otorisasi tidak sah."), "error")
        return redirect(url_for("seller.index"))
    koperasi = db.session.get(Koperasi, state["k"])
    if koperasi is None:
        raise NotFound(_("Koperasi tidak ditemukan."))
    membership = membership_for(current_user, koperasi.slug, set(AREA_ROLES["channels"]))
    try:
        account = services.connect_account(membership.koperasi, platform, current_user.id, request.args.to_dict())
    except DomainError as error:
        _done(error, "")
        return redirect(url_for("channels.accounts", slug=koperasi.slug))
    db.session.commit()
    flash(_("Toko %(shop)s terhubung. Listing sedang dibaca dari platform mitra.", shop=account.shop_name),
          "success")
    _enqueue("channels.import_listings", account.id)
    return redirect(url_for("channels.account", slug=koperasi.slug, account_id=account.id))


@bp.get("/seller/<slug>/kanal/<int:account_id>")
@channels_view
def account(membership, account_id: int):
    found = services.account_of(membership.koperasi_id, account_id)
    state = request.args.get("status", "semua")
    form = AccountRuleForm(formdata=None, obj=found)
    form.share_kind.data = str(found.share_kind)
    return _with_connect_buttons(render_template(
        "channels/account.html", account=found, form=form, action=ActionForm(),
        listings=queries.listings(found.id, state), state=state, counts=queries.listing_counts(found.id),
        reports=queries.latest_reports(found.id), platform_label=services.platform_label))


@bp.get("/seller/<slug>/kanal/<int:account_id>/log")
@channels_view
def account_log(membership, account_id: int):
    """Every listing's pushes, reads and matches of one shop, newest first: where a seller checks that a change
    (an import, a sale) reached the partner."""
    found = services.account_of(membership.koperasi_id, account_id)
    return render_template("channels/log.html", account=found, log=queries.account_sync_log(found.id),
                           waiting=queries.waiting_count(found.id), platform_label=services.platform_label)


@bp.post("/seller/<slug>/kanal/<int:account_id>/aturan")
@channels_view
def account_rule(membership, account_id: int):
    found = services.account_of(membership.koperasi_id, account_id)
    form = AccountRuleForm()
    error = None
    if not form.validate_on_submit():
        error = DomainError(_("Aturan stok tidak valid."))
    else:
        try:
            services.update_account_rule(found, push_enabled=form.push_enabled.data, reserve=form.reserve.data,
                                         share_kind=form.share_kind.data, share_value=form.share_value.data)
        except DomainError as caught:
            error = caught
    _done(error, _("Aturan stok disimpan."))
    if error is None:
        _enqueue("channels.push_account", account_id)
    return redirect(url_for("channels.account", slug=membership.koperasi.slug, account_id=account_id))


_ACTIONS = {
    "impor": ("channels.import_listings", _l("Listing sedang dibaca ulang dari platform mitra.")),
    "kirim": ("channels.push_account", _l("Stok sedang dikirim.")),
    "rekonsiliasi": ("channels.reconcile_account", _l("Rekonsiliasi berjalan.")),
}


@bp.post("/seller/<slug>/kanal/<int:account_id>/<action>")
@channels_view
def account_action(membership, account_id: int, action: str):
    found = services.account_of(membership.koperasi_id, account_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if action == "putus":
        services.disconnect_account(found)
        _done(None, _("Toko diputus. Stok tidak lagi dikirim."))
    elif action in _ACTIONS:
        task, message = _ACTIONS[action]
        _enqueue(task, found.id)
        flash(str(message), "success")
    else:
        abort(404)
    return redirect(url_for("channels.account", slug=membership.koperasi.slug, account_id=account_id))


@bp.get("/seller/<slug>/kanal/listing/<int:listing_id>")
@channels_view
def listing(membership, listing_id: int):
    found = services.listing_of(membership.koperasi_id, listing_id)
    rule = ListingRuleForm(formdata=None, obj=found)
    rule.override.data = found.share_kind is not None or found.reserve is not None
    rule.reserve.data = found.reserve if found.reserve is not None else found.account.reserve
    rule.share_kind.data = str(found.share_kind or found.account.share_kind)
    rule.share_value.data = found.share_value if found.share_value is not None else found.account.share_value
    return render_template("channels/listing.html", listing=found, account=found.account, rule=rule,
                           match=MatchForm(formdata=None), action=ActionForm(), log=queries.sync_log(found.id),
                           target=queries.target_value(found), platform_label=services.platform_label)


@bp.post("/seller/<slug>/kanal/listing/<int:listing_id>/cocokkan")
@channels_view
def match(membership, listing_id: int):
    found = services.listing_of(membership.koperasi_id, listing_id)
    form = MatchForm()
    error = None
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Isian tidak valid."))
        if form.ignore.data:
            services.match_listing(found, ignore=True)
        else:
            services.match_by_sku(found, form.sku.data or "")
    except DomainError as caught:
        error = caught
    _done(error, _("Listing dicocokkan."))
    if error is None:
        _enqueue("channels.push_account", found.account_id)
    return redirect(url_for("channels.listing", slug=membership.koperasi.slug, listing_id=listing_id))


@bp.post("/seller/<slug>/kanal/listing/<int:listing_id>/aturan")
@channels_view
def listing_rule(membership, listing_id: int):
    found = services.listing_of(membership.koperasi_id, listing_id)
    form = ListingRuleForm()
    error = None
    if not form.validate_on_submit():
        error = DomainError(_("Aturan stok tidak valid."))
    else:
        try:
            services.update_listing_rule(found, push_enabled=form.push_enabled.data, override=form.override.data,
                                         reserve=form.reserve.data, share_kind=form.share_kind.data,
                                         share_value=form.share_value.data)
        except DomainError as caught:
            error = caught
    _done(error, _("Aturan stok disimpan."))
    if error is None:
        _enqueue("channels.push_account", found.account_id)
    return redirect(url_for("channels.listing", slug=membership.koperasi.slug, listing_id=listing_id))


@bp.post("/seller/<slug>/kanal/listing/<int:listing_id>/coba-lagi")
@channels_view
def retry(membership, listing_id: int):
    found = services.listing_of(membership.koperasi_id, listing_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.retry_listing(found)
    _done(None, _("Stok listing akan dikirim ulang."))
    _enqueue("channels.push_account", found.account_id)
    return redirect(url_for("channels.listing", slug=membership.koperasi.slug, listing_id=listing_id))
