"""The API's reference page ``/api/``: made from the same OpenAPI description as
``/api/v1/openapi.json``, so it cannot fall behind the code."""

from django.shortcuts import render

from . import v1
from .middleware import READS, WRITES
from .problems import KINDS


def _type(schema, components):
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "anyOf" in schema:
        return " | ".join(_type(s, components) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"[{_type(schema.get('items', {}), components)}]"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    return schema.get("type", "object")


def operations(schema):
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for route, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method == "head" and "get" in methods:
                continue  # shown with its GET
            label = "GET, HEAD" if method == "get" and "head" in methods else method.upper()
            ok = operation["responses"].get("200") or operation["responses"].get("201") or {}
            body = next(iter(ok.get("content", {}).values()), {}).get("schema", {})
            found.append(
                {
                    "method": label,
                    "path": route,
                    "id": operation.get("operationId", ""),
                    "summary": operation.get("summary", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": _type(p.get("schema", {}), components),
                            "required": p.get("required", False),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "answer": _type(body, components) if body else "",
                    "statuses": sorted(operation["responses"]),
                }
            )
    models = []
    for name, model in sorted(components.items()):
        fields = [
            {
                "name": field,
                "type": _type(spec, components),
                "required": field in model.get("required", []),
                "description": spec.get("description", ""),
            }
            for field, spec in model.get("properties", {}).items()
        ]
        models.append({"name": name, "fields": fields})
    return found, models


def reference(request):
    found, models = operations(v1.build().get_openapi_schema(path_prefix="/api/v1/"))
    problems = [
        {"kind": kind, "status": status, "title": title} for kind, (status, title) in KINDS.items()
    ]
    return render(
        request,
        "api/reference.html",
        {
            "operations": found,
            "models": models,
            "problems": problems,
            "reads": READS,
            "writes": WRITES,
            "openapi_url": "/api/v1/openapi.json",
        },
    )
