from django.urls import path

from credits import views
from credits import views_operations as operations

app_name = "credits"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("project/", views.ProjectDetailView.as_view(), name="project"),
    path("project/edit/", views.ProjectUpdateView.as_view(), name="project_edit"),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/new/", operations.PeriodOpenView.as_view(), name="period_add"),
    path("periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period_detail"),
    path("periods/<int:pk>/close/", operations.PeriodCloseView.as_view(), name="period_close"),
    path("periods/<int:pk>/issue/", operations.PeriodIssueView.as_view(), name="period_issue"),
    path("blocks/", views.BlockListView.as_view(), name="block_list"),
    path("blocks/cancel/", operations.CancellationCreateView.as_view(), name="block_cancel"),
    path("sales/", views.SaleListView.as_view(), name="sale_list"),
    path("sales/new/", operations.SaleCreateView.as_view(), name="sale_add"),
    path("sales/<int:pk>/", views.SaleDetailView.as_view(), name="sale_detail"),
    path(
        "sales/<int:pk>/distribute/",
        operations.SaleDistributeView.as_view(),
        name="sale_distribute",
    ),
    path("buyers/new/", views.BuyerCreateView.as_view(), name="buyer_add"),
    path("retirements/", views.RetirementListView.as_view(), name="retirement_list"),
    path("retirements/new/", operations.RetirementCreateView.as_view(), name="retirement_add"),
    path("payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("payments/new/", operations.PaymentCreateView.as_view(), name="payment_add"),
    path("payments/payday/", operations.PaydayView.as_view(), name="payday"),
    path("history/", views.EventListView.as_view(), name="history"),
]
