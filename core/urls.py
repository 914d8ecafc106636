"""The one shape of a model's pages in the URLs, so that each app's `urls.py` names a view once."""

from django.urls import path

# The pages that are not an action on one record, with the route below the model's prefix.
_COLLECTION_PAGES = {"list": "", "detail": "<int:pk>/"}


def model_pages(prefix, name, *, add_segment="add", **views):
    """The URL patterns of one model's pages, named `<name>_<page>`.

    `list` is `<prefix>/`, `add` is `<prefix>/<add_segment>/`, `detail` is `<prefix>/<pk>/` and
    any other page (edit, delete, close, ...) is an action on one record, `<prefix>/<pk>/<page>/`.
    Each value is a view class; the patterns follow the order of the keyword arguments.
    """
    patterns = []
    for page, view in views.items():
        if page == "add":
            route = f"{add_segment}/"
        else:
            route = _COLLECTION_PAGES.get(page, f"<int:pk>/{page}/")
        patterns.append(path(f"{prefix}/{route}", view.as_view(), name=f"{name}_{page}"))
    return patterns


def joined_area(urls, *, before=(), after=()):
    """An app's URL patterns with pages defined elsewhere joined into its namespace (include())."""
    return [*before, *urls.urlpatterns, *after], urls.app_name
