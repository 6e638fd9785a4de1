"""The buyer's side: `/_sandbox/pay` (JSON, for tests and the demo) and `/simulator`, a plain HTML page that plays
the buyer's bank or e-wallet app (forms only, no JavaScript): type a VA number or bill key, or pick a pending
QRIS/GoPay transaction, press "Bayar". Also `expire-now` and a transaction list for tests."""

from flask import Blueprint, current_app, jsonify, render_template_string, request

from sandboxes.common import validate
from sandboxes.common.errors import BadInput
from sandboxes.midtrans import transactions
from sandboxes.midtrans.platform import MidtransError

control = Blueprint("midtrans_control", __name__, url_prefix="/_sandbox")
pages = Blueprint("midtrans_pages", __name__)

PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simulator pembayaran — Midtrans sandbox</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:44rem;color:#222}h1{color:#0c2b5e;font-size:1.4rem}
h2{font-size:1.1rem}code{word-break:break-all}
form{margin:.5rem 0}input[type=text]{font-size:1.1rem;padding:.4rem;width:16rem;max-width:100%}
button{background:#0c2b5e;color:#fff;border:0;padding:.5rem 1.2rem;border-radius:4px;font-size:1rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}td,th{border-bottom:1px solid #ddd;padding:.35rem .25rem;
text-align:left}td button{padding:.45rem .8rem}
.ok{background:#e6f4ea;border:1px solid #5a9;padding:.8rem}.bad{background:#fdecea;border:1px solid #d66;padding:.8rem}
.note{color:#666}</style></head><body>
<p class="note">Midtrans sandbox — simulator pembayaran (payment simulator). Tidak ada uang sungguhan.</p>
<h1>Simulator pembayaran</h1>
{% if result %}<div class="{{ 'ok' if result.ok else 'bad' }}" data-testid="result" role="status">
{% if result.ok %}<strong>Pembayaran berhasil</strong> (payment successful): {{ rupiah(result.row.gross_amount) }}
untuk order <code>{{ result.row.order_id }}</code> — status <code>{{ result.row.status }}</code>.
{% else %}<strong>Pembayaran gagal</strong> (payment failed): {{ result.message }}{% endif %}</div>{% endif %}
<h2>Virtual account / Mandiri bill</h2>
<form method="post" action="/simulator"><label>Nomor virtual account atau kode bayar (VA number or bill key)<br>
<input type="text" name="va_number" inputmode="numeric" autocomplete="off" required></label>
<button type="submit">Bayar</button></form>
<h2>QRIS / GoPay yang menunggu pembayaran (pending)</h2>
<table><tr><th>Order</th><th>Jenis</th><th>Jumlah</th><th>Batas waktu (WIB)</th><th></th></tr>
{% for row in waiting %}<tr><td><code>{{ row.order_id }}</code></td><td>{{ row.payment_type }}</td>
<td>{{ rupiah(row.gross_amount) }}</td><td>{{ wib(row.expires_at) }}</td>
<td><form method="post" action="/simulator"><input type="hidden" name="order_id" value="{{ row.order_id }}">
<button type="submit">Bayar</button></form></td></tr>
{% else %}<tr><td colspan="5">Tidak ada transaksi QRIS yang menunggu (none pending).</td></tr>{% endfor %}</table>
</body></html>"""


INDEX = """<!doctype html><html lang="id"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Midtrans sandbox</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}h1{color:#0c2b5e}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.3rem .7rem;text-align:left}td.n{text-align:right}.note{color:#777}</style>
</head><body><p class="note">Midtrans sandbox — a stand-in for the payment gateway, read-only.
The buyer's bank app: <a href="/simulator">/simulator</a>.</p><h1>Transaksi terakhir (recent transactions)</h1>
<table><tr><th>Order</th><th>Jenis</th><th>Nomor</th><th>Jumlah</th><th>Status</th><th>Dibuat (WIB)</th></tr>
{% for row in rows %}<tr><td><code>{{ row.order_id }}</code></td><td>{{ row.payment_type }} {{ row.bank or "" }}</td>
<td>{{ row.va_number or "QR" }}</td><td class="n">{{ rupiah(row.gross_amount) }}</td><td>{{ row.status }}</td>
<td>{{ wib(row.created_at) }}</td></tr>{% else %}<tr><td colspan="6">Belum ada transaksi.</td></tr>{% endfor %}
</table></body></html>"""


def _sb():
    return current_app.extensions["sandbox"]


def _rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def _target(data: dict) -> dict:
    """The transaction a payment is for: by VA number / bill key, transaction id or order id."""
    sb = _sb()
    for key in ("va_number", "bill_key", "transaction_id", "order_id"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise BadInput(f"{key} must be a non-empty string")
        value = value.strip().replace(" ", "")
        if key in ("va_number", "bill_key"):
            row = transactions.find_by_number(sb, value)
            if row is None:
                raise BadInput(f"no transaction with {key} {value}", 404)
            return row
        try:
            return transactions.find(sb, value)
        except MidtransError:
            raise BadInput(f"no transaction with {key} {value}", 404) from None
    raise BadInput("give one of va_number, bill_key, transaction_id, order_id")


def pay(data: dict) -> dict:
    row = _target(data)
    try:
        return transactions.move(_sb(), row["transaction_id"], "settlement")
    except transactions.StateError:
        raise BadInput(f"transaction {row['order_id']} is {row['status']}, not pending", 409) from None


@control.post("/pay")
def pay_json():
    row = pay(validate.obj(request.get_json(silent=True), "request body"))
    return jsonify(transactions.describe(_sb(), row))


@control.post("/transactions/<key>/expire-now")
def expire_now(key):
    try:
        row = transactions.move(_sb(), key, "expire")
    except transactions.StateError:
        raise BadInput("the transaction is not pending", 409) from None
    except MidtransError:
        raise BadInput(f"no transaction {key}", 404) from None
    return jsonify(transactions.describe(_sb(), row))


@control.get("/transactions")
def listing():
    rows = _sb().store.all("SELECT * FROM mt_transactions ORDER BY id DESC LIMIT 200")
    return jsonify(transactions=[transactions.describe(_sb(), dict(row)) for row in rows])


def _page(result=None, status=200):
    waiting = _sb().store.all("SELECT * FROM mt_transactions WHERE status = 'pending' AND payment_type IN "
                              "('qris', 'gopay') ORDER BY id DESC LIMIT 50")
    return render_template_string(PAGE, result=result, waiting=waiting, rupiah=_rupiah,
                                  wib=transactions.wib), status


@pages.get("/simulator")
def simulator():
    return _page()


@pages.post("/simulator")
def simulator_pay():
    data = {key: request.form[key] for key in ("va_number", "order_id") if request.form.get(key)}
    try:
        row = pay(data)
    except BadInput as refused:
        return _page({"ok": False, "message": refused.message}, refused.status)
    return _page({"ok": True, "row": row})


def index():
    rows = _sb().store.all("SELECT * FROM mt_transactions ORDER BY id DESC LIMIT 50")
    return render_template_string(INDEX, rows=rows, rupiah=_rupiah, wib=transactions.wib)
