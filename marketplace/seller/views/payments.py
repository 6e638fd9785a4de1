"""Payments on the dashboard: the koperasi's COD and bank-account settings, the manual transfers waiting for a
check (with their proofs), the refunds waiting to be transferred back, and "Uang COD diterima" on an order."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from marketplace.core.errors import DomainError, NotFound
from marketplace.core.lookup import owned_or_404
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.payments import cod, manual_refunds, transfer
from marketplace.payments import services as payment_services
from marketplace.payments.koperasi_settings import settings_of, update_settings
from marketplace.payments.transfer_models import TransferProof
from marketplace.payments.transfer_views import proof_response
from marketplace.seller.access import seller_view
from marketplace.seller.blueprint import bp, fail, form_errors_flash
from marketplace.seller.forms import ActionForm
from marketplace.seller.payment_forms import PaymentSettingsForm, RefundDoneForm, RejectProofForm


def _page(membership, form: PaymentSettingsForm | None = None, status: int = 200):
    if form is None:
        form = PaymentSettingsForm(formdata=None, obj=settings_of(membership.koperasi_id))
    return render_template("seller/payments.html", form=form, proofs=transfer.waiting_transfers(membership.koperasi_id),
                           refunds=manual_refunds.waiting(membership.koperasi_id), action_form=ActionForm(),
                           reject_form=RejectProofForm(formdata=None), refund_form=RefundDoneForm(formdata=None),
                           orders_of=payment_services.orders_of), status


@bp.get("/<slug>/pembayaran")
@seller_view("payments")
def payments(membership):
    return _page(membership)


@bp.post("/<slug>/pembayaran/pengaturan")
@seller_view("payments")
def payment_settings(membership):
    form = PaymentSettingsForm()
    if not form.validate_on_submit():
        return _page(membership, form, 400)
    try:
        update_settings(membership, cod_enabled=form.cod_enabled.data, cod_max_amount=form.cod_max_amount.data,
                        bank_name=form.bank_name.data or "", bank_account_number=form.bank_account_number.data or "",
                        bank_account_holder=form.bank_account_holder.data or "")
    except DomainError as error:
        fail(form, error)
        return _page(membership, form, 400)
    db.session.commit()
    flash(_("Pengaturan pembayaran disimpan."), "success")
    return redirect(url_for("seller.payments", slug=membership.koperasi.slug))


def _done(membership, action, success: str):
    try:
        action()
    except NotFound:
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("seller.payments", slug=membership.koperasi.slug))


@bp.get("/<slug>/pembayaran/bukti/<int:proof_id>")
@seller_view("payments")
def payment_proof(membership, proof_id: int):
    proof = owned_or_404(TransferProof, membership.koperasi_id, proof_id)
    return proof_response(proof)


@bp.post("/<slug>/pembayaran/bukti/<int:proof_id>/konfirmasi")
@seller_view("payments")
def payment_proof_confirm(membership, proof_id: int):
    proof = owned_or_404(TransferProof, membership.koperasi_id, proof_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("seller.payments", slug=membership.koperasi.slug))
    return _done(membership, lambda: transfer.confirm(membership, proof),
                 _("Transfer dikonfirmasi; pesanan siap dikemas."))


@bp.post("/<slug>/pembayaran/bukti/<int:proof_id>/tolak")
@seller_view("payments")
def payment_proof_reject(membership, proof_id: int):
    proof = owned_or_404(TransferProof, membership.koperasi_id, proof_id)
    form = RejectProofForm()
    if not form.validate_on_submit():
        form_errors_flash(form)
        return redirect(url_for("seller.payments", slug=membership.koperasi.slug))
    return _done(membership, lambda: transfer.reject(membership, proof, form.reason.data),
                 _("Bukti transfer ditolak; pembeli diberi tahu lewat email."))


@bp.post("/<slug>/pembayaran/refund/<int:refund_id>/selesai")
@seller_view("payments")
def manual_refund_done(membership, refund_id: int):
    refund = manual_refunds.refund_of_koperasi(membership.koperasi_id, refund_id)
    form = RefundDoneForm()
    if not form.validate_on_submit():
        form_errors_flash(form)
        return redirect(url_for("seller.payments", slug=membership.koperasi.slug))
    return _done(membership, lambda: manual_refunds.confirm(membership, refund, form.note.data or ""),
                 _("Pengembalian dana dicatat selesai."))


@bp.post("/<slug>/pesanan/<number>/cod-diterima")
@seller_view("orders")
def order_cod_cash(membership, number: str):
    order = owned_or_404(Order, membership.koperasi_id, number, by="number")
    target = url_for("seller.order_detail", slug=membership.koperasi.slug, number=number)
    if not ActionForm().validate_on_submit():
        return redirect(target)
    try:
        outcome = cod.collect_cash(membership, order)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(target)
    db.session.commit()
    flash(_("Uang COD untuk pesanan ini sudah tercatat.") if outcome == "already"
          else _("Uang COD diterima dan dicatat."), "success")
    return redirect(target)
