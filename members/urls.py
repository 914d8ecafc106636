from django.urls import path

from core.urls import model_pages
from members import views

app_name = "members"
# The member and plot profile pages join these in acopagro/urls.py (dashboard/profiles.py).
urlpatterns = [
    *model_pages(
        "members",
        "member",
        list=views.MemberListView,
        add=views.MemberCreateView,
        edit=views.MemberUpdateView,
    ),
    path("members/<int:member_pk>/plots/add/", views.PlotCreateView.as_view(), name="plot_add"),
    path("plots/search/", views.PlotSearchView.as_view(), name="plot_search"),
    path("members/search/", views.MemberSearchView.as_view(), name="member_search"),
    *model_pages("plots", "plot", edit=views.PlotUpdateView),
]
