from django.urls import path

from members import views

app_name = "members"
# The member and plot profile pages join these in acopagro/urls.py (dashboard/profiles.py).
urlpatterns = [
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/add/", views.MemberCreateView.as_view(), name="member_add"),
    path("members/<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member_edit"),
    path("members/<int:member_pk>/plots/add/", views.PlotCreateView.as_view(), name="plot_add"),
    path("plots/search/", views.PlotSearchView.as_view(), name="plot_search"),
    path("members/search/", views.MemberSearchView.as_view(), name="member_search"),
    path("plots/<int:pk>/edit/", views.PlotUpdateView.as_view(), name="plot_edit"),
]
