"""The member's carbon statement ("liquidación"): the printable page and its PDF, same figures."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.views import PageView, PermissionView
from credits import selectors
from credits.models import CarbonProject
from credits.selectors import member_ledger
from members.models import Member
from plantings.models import Planting, Species
from reports.exports import export_response
from reports.tables import Column, Table, tonnes


def statement_tables(member: Member) -> list[Table]:
    ledger = member_ledger(member)
    currency = ledger["currency"]
    summary = Table(
        "summary",
        _("Summary"),
        [Column("item", _("item"), numeric=False), Column("value", _("value"))],
        [
            {"item": _("net removals (tCO2e)"), "value": tonnes(ledger["co2e_t"])},
            {"item": _("credits attributed (tCO2e)"), "value": ledger["credits_attributed"]},
            {"item": _("owed (%(currency)s)") % {"currency": currency}, "value": ledger["owed"]},
            {"item": _("paid (%(currency)s)") % {"currency": currency}, "value": ledger["paid"]},
            {
                "item": _("balance (%(currency)s)") % {"currency": currency},
                "value": ledger["balance"],
            },
        ],
    )
    periods = Table(
        "periods",
        _("Monitoring periods"),
        [
            Column("vintage", _("vintage"), numeric=False),
            Column("trees", _("trees alive at end")),
            Column("net", _("net removals"), "tCO2e"),
            Column("credits", _("credits attributed"), "tCO2e"),
        ],
        [
            {
                "vintage": r.period.vintage,
                "trees": r.trees_alive_end,
                "net": tonnes(r.net_co2e_t),
                "credits": r.credits_attributed,
            }
            for r in ledger["periods"]
        ],
    )
    shares = Table(
        "shares",
        _("Shares of sales"),
        [
            Column("date", _("sale date"), numeric=False),
            Column("buyer", _("buyer"), numeric=False),
            Column("amount", _("amount"), currency),
            Column("paid", _("paid on"), numeric=False),
        ],
        [
            {
                "date": s.sale.sold_on,
                "buyer": s.sale.buyer.name,
                "amount": s.amount,
                "paid": s.payment.paid_on if s.payment else "",
            }
            for s in ledger["shares"]
        ],
    )
    payments = Table(
        "payments",
        _("Payments"),
        [
            Column("date", _("paid on"), numeric=False),
            Column("method", _("method"), numeric=False),
            Column("reference", _("reference"), numeric=False),
            Column("amount", _("amount"), currency),
        ],
        [
            {
                "date": p.paid_on,
                "method": p.get_method_display(),
                "reference": p.reference,
                "amount": p.amount,
            }
            for p in ledger["payments"]
        ],
    )
    return [summary, periods, shares, payments]


class MemberStatementPdfView(PermissionView, View):
    permission_required = "credits.view_carbonproject"  # as the printable statement page

    def get(self, request, pk):
        member = get_object_or_404(Member.objects.select_related("community"), pk=pk)
        subtitle = _("Carbon statement of %(member)s, %(community)s") % {
            "member": member,
            "community": member.community.name,
        }
        return export_response(
            statement_tables(member), "pdf", f"statement-{member.code}", subtitle=subtitle
        )


class MemberStatementView(PageView):
    """The member's "liquidación": trees, survival, tCO2e, credits attributed, money. Printable."""

    permission_required = "credits.view_carbonproject"
    template_name = "credits/member_statement.html"

    def get_context_data(self, **kwargs):
        member = get_object_or_404(Member.objects.select_related("community"), pk=self.kwargs["pk"])
        today = timezone.localdate()
        project = CarbonProject.current()
        rows = selectors.stock_rows(on_date=today, kind="verified", project=project, member=member)
        alive = {}
        for row in rows:
            trees, co2e = alive.get(row.species_id, (0, 0))
            alive[row.species_id] = (trees + row.trees_alive, co2e + row.co2e_t)
        species = {s.pk: s for s in Species.objects.all()}
        planted = Planting.objects.filter(plot__member=member).trees_by_species()
        trees = []
        for line in planted:
            alive_count, co2e = alive.get(line["species_id"], (0, 0))
            trees.append(
                {
                    "species": species[line["species_id"]],
                    "planted": line["trees"],
                    "alive": alive_count,
                    "survival_pct": 100 * alive_count / line["trees"] if line["trees"] else 0,
                    "co2e_t": co2e,
                }
            )
        ledger = selectors.member_ledger(member)
        return super().get_context_data(
            member=member,
            project=project,
            today=today,
            trees=trees,
            trees_planted=sum(t["planted"] for t in trees),
            trees_alive=sum(t["alive"] for t in trees),
            stock_co2e_t=sum((t["co2e_t"] for t in trees), 0),
            ledger=ledger,
            **kwargs,
        )
