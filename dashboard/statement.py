"""The member's statement ("liquidación"): the printable page, its PDF and a one-page payday PDF.

All three print one dashboard.selectors.MemberStatement, in words a producer uses: trees by
species, the CO2 they took from the air, the producer's part of each sale, what was paid in soles
and when. Technical words (vintage, baseline, leakage, buffer) are explained on the glossary page.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.views import PageView, PermissionView
from dashboard.selectors import MemberStatement, member_statement
from members.models import Member
from reports.exports import export_response
from reports.tables import Column, Table, tonnes

PERMISSION = "credits.view_carbonproject"
SIGNATURE_LABELS = (
    gettext_lazy("Signature"),
    gettext_lazy("Full name"),
    gettext_lazy("DNI"),
    gettext_lazy("Date"),
)


def _period(start, end) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"


def trees_table(statement: MemberStatement) -> Table:
    return Table(
        "trees",
        _("Your trees"),
        [
            Column("species", _("species"), numeric=False),
            Column("planted", _("trees planted")),
            Column("alive", _("alive at the last visit")),
            Column("survival", _("alive"), "%"),
            Column("co2e", _("CO2 stored in the trees"), "t"),
        ],
        [
            {
                "species": line.local_name,
                "planted": line.planted,
                "alive": line.alive,
                "survival": line.survival_pct,
                "co2e": tonnes(line.co2e_t),
            }
            for line in statement.species
        ],
    )


def money_table(statement: MemberStatement) -> Table:
    currency = statement.currency
    rows = [
        {"item": _("Your part of the sales (%(c)s)") % {"c": currency}, "value": statement.owed},
        {"item": _("Paid to you (%(c)s)") % {"c": currency}, "value": statement.paid},
        {"item": _("Paid to you (S/)"), "value": statement.paid_pen},
        {"item": _("Still to be paid (%(c)s)") % {"c": currency}, "value": statement.balance},
    ]
    if statement.last_paid_on:
        rows.append({"item": _("Last payment on"), "value": statement.last_paid_on})
    return Table(
        "summary",
        _("Your money"),
        [Column("item", _("item"), numeric=False), Column("value", _("amount"))],
        rows,
    )


def statement_tables(statement: MemberStatement) -> list[Table]:
    """Every table of the full statement, in reading order."""
    currency = statement.currency
    periods = Table(
        "periods",
        _("CO2 your trees took from the air"),
        [
            Column("period", _("period measured"), numeric=False),
            Column("trees", _("trees alive at the end")),
            Column("net", _("CO2 taken from the air"), "t"),
            Column("credits", _("carbon credits from your trees")),
        ],
        [
            {
                "period": _period(line.start_date, line.end_date),
                "trees": line.trees_alive_end,
                "net": tonnes(line.net_co2e_t),
                "credits": line.credits,
            }
            for line in statement.periods
        ],
    )
    shares = Table(
        "shares",
        _("Your part of each sale of credits"),
        [
            Column("date", _("sale date"), numeric=False),
            Column("buyer", _("buyer"), numeric=False),
            Column("amount", _("your part"), currency),
            Column("paid", _("paid on"), numeric=False),
        ],
        [
            {
                "date": line.sold_on,
                "buyer": line.buyer,
                "amount": line.amount,
                "paid": line.paid_on or _("not yet"),
            }
            for line in statement.shares
        ],
    )
    payments = Table(
        "payments",
        _("Payments received"),
        [
            Column("date", _("paid on"), numeric=False),
            Column("method", _("how"), numeric=False),
            Column("reference", _("reference"), numeric=False),
            Column("amount_pen", _("amount"), "S/"),
            Column("amount", _("amount"), currency),
            Column("rate", _("exchange rate"), _("S/ per %(c)s") % {"c": currency}),
        ],
        [
            {
                "date": line.paid_on,
                "method": line.method,
                "reference": line.reference,
                "amount_pen": line.amount_pen,
                "amount": line.amount,
                "rate": line.exchange_rate_pen,
            }
            for line in statement.payments
        ],
    )
    return [trees_table(statement), periods, shares, payments, money_table(statement)]


def payday_tables(statement: MemberStatement) -> list[Table]:
    """The one-page version handed over on a payday: trees, the payment, the money summary."""
    tables = [trees_table(statement)]
    payment = statement.last_payment
    if payment is not None:
        tables.append(
            Table(
                "payment",
                _("Payment of %(date)s") % {"date": payment.paid_on.isoformat()},
                [Column("item", _("item"), numeric=False), Column("value", _("amount"))],
                [
                    {"item": _("Amount paid (S/)"), "value": payment.amount_pen},
                    {
                        "item": _("Amount (%(c)s)") % {"c": payment.currency},
                        "value": payment.amount,
                    },
                    {"item": _("Exchange rate (S/ per unit)"), "value": payment.exchange_rate_pen},
                    {"item": _("How"), "value": f"{payment.method} {payment.reference}".strip()},
                ],
            )
        )
    tables.append(money_table(statement))
    return tables


def _subtitle(member: Member) -> str:
    return _("Statement of %(member)s, DNI %(dni)s, code %(code)s, %(community)s") % {
        "member": member.full_name,
        "dni": member.dni,
        "code": member.code,
        "community": member.community.name,
    }


def _member(pk) -> Member:
    return get_object_or_404(Member.objects.select_related("community"), pk=pk)


class MemberStatementPdfView(PermissionView, View):
    """The statement as a PDF; `?version=payday` gives the one-page receipt for a payday."""

    permission_required = PERMISSION  # as the printable statement page

    def get(self, request, pk):
        member = _member(pk)
        statement = member_statement(member)
        payday = request.GET.get("version") == "payday"
        tables = payday_tables(statement) if payday else statement_tables(statement)
        return export_response(
            tables,
            "pdf",
            f"{'receipt' if payday else 'statement'}-{member.code}",
            subtitle=_subtitle(member),
            orientation="portrait",
            signatures=tuple(str(label) for label in SIGNATURE_LABELS),
            signature_note=_("I received the amounts above in full (recibí conforme)."),
        )


class MemberStatementView(PageView):
    """The member's "liquidación": trees, CO2, credits, money in soles. Printable."""

    permission_required = PERMISSION
    template_name = "credits/member_statement.html"

    def get_context_data(self, **kwargs):
        member = _member(self.kwargs["pk"])
        return super().get_context_data(
            member=member,
            statement=member_statement(member),
            signature_labels=SIGNATURE_LABELS,
            **kwargs,
        )


class GlossaryView(PageView):
    """The words of the carbon programme explained in plain language; linked from the statement."""

    permission_required = PERMISSION
    template_name = "dashboard/glossary.html"
