"""The payday sheet: per community, the members paid on a payday with their amount in soles and a
column to sign; and the list of bank and mobile-wallet transfers (name, DNI, amount) to send.

Built from the payments recorded by credits.services.pay_all_owed / record_payment, so the sheet
shows exactly the soles recorded, at the payday's exchange rate.
"""

from django.db.models import Max
from django.utils.translation import gettext as _

from credits.models import Payment
from reports.cache import PAYMENT_TOPICS, cached
from reports.filters import ReportFilter
from reports.tables import MEMBER_CODE, MEMBER_NAME, Column, Table

TRANSFER_METHODS = (Payment.Method.BANK, Payment.Method.MOBILE)
# The filters a payday sheet takes (species and land use do not apply to a payment).
PAYMENT_LOOKUPS = {
    "community_id": "member__community_id",
    "date_from": "paid_on__gte",
    "date_to": "paid_on__lte",
}
FIELDS = (
    "member_id",
    "member__code",
    "member__last_name",
    "member__first_name",
    "member__dni",
    "member__community__name",
    "paid_on",
    "method",
    "reference",
    "amount",
    "currency",
    "exchange_rate_pen",
    "amount_pen",
)


def _payments(f: ReportFilter):
    payments = f.narrow(Payment.objects.all(), PAYMENT_LOOKUPS)
    if not (f.date_from or f.date_to):
        # No dates chosen: the latest payday.
        payments = payments.filter(paid_on=payments.aggregate(last=Max("paid_on"))["last"])
    return payments


def payday_rows(f: ReportFilter) -> list[dict]:
    """One row per payment, by community then surname: one query."""

    def compute():
        methods = dict(Payment.Method.choices)
        return [
            {
                "member_id": p["member_id"],
                "code": p["member__code"],
                "name": f"{p['member__last_name']}, {p['member__first_name']}",
                "dni": p["member__dni"],
                "community": p["member__community__name"],
                "paid_on": p["paid_on"],
                "method": str(methods.get(p["method"], p["method"])),
                "method_code": p["method"],
                "reference": p["reference"],
                "amount": p["amount"],
                "currency": p["currency"],
                "rate": p["exchange_rate_pen"],
                "amount_pen": p["amount_pen"],
                "signature": "",
            }
            for p in _payments(f)
            .order_by("member__community__name", "member__last_name", "member__first_name", "pk")
            .values(*FIELDS)
        ]

    return cached("payday", f.key(), compute, topics=PAYMENT_TOPICS)


def payday_report(f: ReportFilter) -> list[Table]:
    rows = payday_rows(f)
    currency = rows[0]["currency"] if rows else ""
    sheet_columns = [
        MEMBER_CODE,
        Column("name", _("surname, first names"), numeric=False),
        Column("dni", _("DNI"), numeric=False),
        Column("amount_pen", _("amount"), "S/"),
        Column("amount", _("amount"), currency),
        Column("paid_on", _("paid on"), numeric=False),
        Column("signature", _("signature"), numeric=False),
    ]
    communities: dict[str, list[dict]] = {}
    for row in rows:
        communities.setdefault(row["community"], []).append(row)
    tables = [
        Table(
            f"sheet-{index}",
            _("Payday sheet: %(community)s") % {"community": community},
            sheet_columns,
            community_rows,
            page_rows=2000,
            link={"code": ("credits:member_statement", "member_id")},
            note=_("%(n)s members, S/ %(total)s in total.")
            % {
                "n": len(community_rows),
                "total": sum(r["amount_pen"] or 0 for r in community_rows),
            },
        )
        for index, (community, community_rows) in enumerate(communities.items(), start=1)
    ]
    transfers = [r for r in rows if r["method_code"] in TRANSFER_METHODS]
    tables.append(
        Table(
            "transfers",
            _("Bank and mobile-wallet transfers"),
            [
                MEMBER_NAME,
                Column("dni", _("DNI"), numeric=False),
                Column("amount_pen", _("amount"), "S/"),
                Column("method", _("method"), numeric=False),
                Column("reference", _("reference"), numeric=False),
            ],
            transfers,
            page_rows=2000,
            note=_("Download as CSV for the bank or the mobile wallet."),
        )
    )
    return tables
