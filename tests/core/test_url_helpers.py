"""core.urls: a model's pages in the house shape; an app's area joined with pages from above."""

from types import SimpleNamespace

from django.views import View

from core.urls import joined_area, model_pages


class ListPage(View):
    pass


class EditPage(View):
    pass


def test_model_pages_name_each_route_after_the_model():
    patterns = model_pages("sales", "sale", add_segment="new", list=ListPage, add=EditPage,
                           detail=ListPage, distribute=EditPage)  # fmt: skip
    assert [(str(p.pattern), p.name) for p in patterns] == [
        ("sales/", "sale_list"),
        ("sales/new/", "sale_add"),
        ("sales/<int:pk>/", "sale_detail"),
        ("sales/<int:pk>/distribute/", "sale_distribute"),
    ]
    assert patterns[1].callback.view_class is EditPage


def test_joined_area_keeps_the_namespace_and_the_order():
    urls = SimpleNamespace(urlpatterns=["b"], app_name="members")
    assert joined_area(urls, before=["a"], after=["c"]) == (["a", "b", "c"], "members")
