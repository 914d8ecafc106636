"""A documentation page rendered on the server from the OpenAPI schema: no CDN, no script.

drf-spectacular's Swagger UI and Redoc load their JavaScript from a CDN, which this application
never does; this page lists every operation, its parameters and its body instead.
"""

from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema: dict) -> list[dict]:
    rows = []
    components = schema.get("components", {}).get("schemas", {})
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            body_ref = body.get("schema", {}).get("$ref", "")
            body_name = body_ref.rsplit("/", 1)[-1]
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "body": body_name,
                    "body_fields": sorted(components.get(body_name, {}).get("properties", {})),
                    "required": components.get(body_name, {}).get("required", []),
                }
            )
    return rows


class ApiDocsView(TemplateView):
    """Public, like the schema it shows: it names operations and fields, never data."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        return super().get_context_data(
            info=schema.get("info", {}), operations=operations(schema), **kwargs
        )
