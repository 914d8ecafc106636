from django.urls import path

from core.urls import model_pages
from credits import views
from credits import views_operations as operations

app_name = "credits"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("project/", views.ProjectDetailView.as_view(), name="project"),
    path("project/edit/", views.ProjectUpdateView.as_view(), name="project_edit"),
    *model_pages(
        "periods",
        "period",
        add_segment="new",
        list=views.PeriodListView,
        add=operations.PeriodOpenView,
        detail=views.PeriodDetailView,
        close=operations.PeriodCloseView,
        issue=operations.PeriodIssueView,
    ),
    *model_pages("blocks", "block", list=views.BlockListView),
    path("blocks/cancel/", operations.CancellationCreateView.as_view(), name="block_cancel"),
    *model_pages(
        "sales",
        "sale",
        add_segment="new",
        list=views.SaleListView,
        add=operations.SaleCreateView,
        detail=views.SaleDetailView,
        distribute=operations.SaleDistributeView,
    ),
    *model_pages("buyers", "buyer", add_segment="new", add=views.BuyerCreateView),
    *model_pages(
        "retirements",
        "retirement",
        add_segment="new",
        list=views.RetirementListView,
        add=operations.RetirementCreateView,
    ),
    *model_pages(
        "payments",
        "payment",
        add_segment="new",
        list=views.PaymentListView,
        add=operations.PaymentCreateView,
    ),
    path("payments/payday/", operations.PaydayView.as_view(), name="payday"),
    path("history/", views.EventListView.as_view(), name="history"),
]
