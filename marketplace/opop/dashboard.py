"""The programme dashboard and the public page: the tables from ``stats`` and their charts. Each table is also a CSV
download with exactly the rows shown, so figures quoted in a report match the page."""

import csv
import io

from flask_babel import gettext as _

from marketplace.core.regions import region_label
from marketplace.koperasi.models import VerificationStatus
from marketplace.opop import charts, stats
from marketplace.opop.services import status_label

CHANNEL_NAMES = {"opop": "OPOP", "shopee": "Shopee", "tokopedia": "Tokopedia", "tiktok": "TikTok Shop/Tokopedia",
                 "blibli": "Blibli", "lazada": "Lazada"}
_STATUS_ORDER = (VerificationStatus.VERIFIED, VerificationStatus.SUBMITTED, VerificationStatus.DRAFT,
                 VerificationStatus.SUSPENDED)


def channel_name(code: str) -> str:
    return CHANNEL_NAMES.get(code, code.title())


def _sales_matrix(rows: list[dict], months: list[str]) -> tuple[list[str], dict, dict]:
    channels = sorted({r["channel"] for r in rows} | {stats.OWN_CHANNEL}, key=lambda c: (c != stats.OWN_CHANNEL, c))
    orders = {c: [0] * len(months) for c in channels}
    sales = {c: [0] * len(months) for c in channels}
    index = {m: i for i, m in enumerate(months)}
    for r in rows:
        if r["month"] in index:
            orders[r["channel"]][index[r["month"]]] += r["orders"]
            sales[r["channel"]][index[r["month"]]] += r["sales"]
    return channels, orders, sales


def tables(only: str | None = None) -> dict[str, tuple[list[str], list[list]]]:
    """Every dashboard table as (header, rows): what the page shows and the CSV exports (``only`` builds one)."""
    builders = {
        "koperasi": _koperasi_table, "unggulan": _flagship_table, "penjualan": _sales_table,
        "kanal": _channel_table, "sertifikat": _certificate_table,
    }
    return {name: build() for name, build in builders.items() if only in (None, name)}


def _koperasi_table():
    regions = stats.koperasi_by_region_status()
    return ([_("Kabupaten/kota"), *[status_label(s) for s in _STATUS_ORDER], _("Jumlah")],
                     [[region_label(r["region_code"]), *[r[s.value] for s in _STATUS_ORDER], r["total"]]
                      for r in regions])


def _flagship_table(progress=None):
    return ([_("Tahun"), _("Produk unggulan"), _("Tonggak tahunan"), _("Target")],
                     [[r["year"], r["flagship"], r["milestone"] or "", r["target"]]
                      for r in progress or stats.flagship_progress()])


def _sales_table(matrix=None):
    months = stats.month_labels()
    channels, orders, sales = matrix or _sales_matrix(stats.sales_by_month(), months)
    return ([_("Bulan"), _("Kanal"), _("Pesanan"), _("Penjualan (Rp)")],
                      [[m, channel_name(c), orders[c][i], sales[c][i]]
                       for i, m in enumerate(months) for c in channels])


def _channel_table():
    return ([_("Marketplace mitra"), _("Koperasi terhubung"), _("Koperasi terverifikasi"), _("Persen")],
                  [[channel_name(r["platform"]), r["connected"], r["verified"], r["share"]]
                   for r in stats.channel_connections()])


def _certificate_table():
    return ([_("Produk"), _("Koperasi"), _("Sertifikat"), _("Nomor"), _("Berlaku sampai"), _("Sisa hari")],
                       [[c.product, c.koperasi, c.kind.upper(), c.number, c.valid_until.isoformat(), c.days_left]
                        for c in stats.expiring_certificates()])


TABLE_NAMES = ("koperasi", "unggulan", "penjualan", "kanal", "sertifikat")


def csv_bytes(name: str) -> bytes:
    header, rows = tables(name)[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs read UTF-8


def dashboard() -> dict:
    """Each query runs once: the charts and the tables share their rows."""
    progress = stats.flagship_progress()
    months = stats.month_labels()
    matrix = _sales_matrix(stats.sales_by_month(), months)
    channels, orders, sales = matrix
    data = {"koperasi": _koperasi_table(), "unggulan": _flagship_table(progress), "penjualan": _sales_table(matrix),
            "kanal": _channel_table(), "sertifikat": _certificate_table()}
    regions = data["koperasi"][1]
    status_series = [(status_label(s), charts.PALETTE[i]) for i, s in enumerate(_STATUS_ORDER)]
    short_months = [m[2:] for m in months]
    colors = {c: charts.PALETTE[i % len(charts.PALETTE)] for i, c in enumerate(channels)}
    empty = _("Belum ada pesanan dibayar.")
    connections = [{"platform": r[0], "share": r[3]} for r in data["kanal"][1]]
    return {
        "tables": data,
        "totals": stats.status_totals(),
        "flagship_now": stats.flagship_now(),
        "target": stats.FLAGSHIP_TARGET,
        "cohorts": stats.in_cohorts(),
        "charts": {
            "koperasi": charts.hbar_chart(_("Koperasi per kabupaten/kota dan status"),
                                          [(r[0], r[1:5]) for r in regions], status_series),
            "unggulan": charts.column_chart(
                _("Produk unggulan per tahun terhadap target"), [str(r["year"]) for r in progress],
                [(_("Produk unggulan"), charts.PALETTE[0], [r["flagship"] for r in progress])],
                markers=[r["milestone"] for r in progress], marker_label=_("Tonggak"),
                line=stats.FLAGSHIP_TARGET, line_label=_("Target"), show_values=True),
            "pesanan": charts.column_chart(
                _("Pesanan per bulan menurut kanal"), short_months,
                [(channel_name(c), colors[c], orders[c]) for c in channels], empty_label=empty),
            "penjualan": charts.column_chart(
                _("Penjualan per bulan menurut kanal (Rp)"), short_months,
                [(channel_name(c), colors[c], sales[c]) for c in channels], empty_label=empty),
            "kanal": charts.share_chart(_("Koperasi terhubung ke marketplace mitra"),
                                        [(r["platform"], r["share"]) for r in connections]),
        },
    }


def public_page() -> dict:
    regions = stats.public_regions()
    progress = stats.flagship_progress()
    years = stats.sales_by_year()
    return {
        "regions": regions,
        "koperasi_total": sum(r["koperasi_count"] for r in regions),
        "pesantren_total": sum(r["pesantren_count"] for r in regions),
        "flagship_now": stats.flagship_now(),
        "target": stats.FLAGSHIP_TARGET,
        "progress": progress,
        "years": years,
        "region_chart": charts.hbar_chart(
            _("Koperasi terverifikasi per kabupaten/kota"),
            [(region_label(r["region_code"]), [r["koperasi_count"]]) for r in regions],
            [(_("Koperasi"), charts.PALETTE[0])]),
        "flagship_chart": charts.column_chart(
            _("Produk unggulan per tahun terhadap target"), [str(r["year"]) for r in progress],
            [(_("Produk unggulan"), charts.PALETTE[0], [r["flagship"] for r in progress])],
            markers=[r["milestone"] for r in progress], marker_label=_("Tonggak"),
            line=stats.FLAGSHIP_TARGET, line_label=_("Target"), show_values=True),
    }
