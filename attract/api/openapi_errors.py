"""The error answers each operation gives, written into the OpenAPI schema.

The errors come from the API object's exception handlers (attract.api.api), not from the
operations' own response declarations, so ninja's schema would not list them. They follow
rules that hold for every operation, so they are added by rule:

- 400 for every operation that reads a body, when the body cannot be parsed at all;
- 401 for every operation that needs a token;
- 403 for every operation that changes something (a viewer's token, or a record the token's
  user may read but not change);
- 404 for every operation on a record named in its path;
- 409 for every change that takes a `version` (the record changed since) and for a deal's
  stage move (a gate refused it);
- 422 for every operation that takes input (a wrong type, a value out of range, a NUL
  character, or a rule of the services) and for every change, which a rule of the services
  may refuse even without input (a 21-day challenge started while one runs).
"""

from __future__ import annotations

from typing import Any

from attract.core.api_errors import ConflictOut, ErrorOut, FieldErrorsOut

DESCRIPTIONS = {
    400: ("ErrorOut", "The body is not JSON (or not the form data) the operation reads."),
    401: ("ErrorOut", "No token, or an unknown or revoked one, or a deactivated user's."),
    403: ("ErrorOut", "The token's user may not make this change."),
    404: ("ErrorOut", "No such record, or one the token's user may not see."),
    409: ("ConflictOut", "The record changed since the version sent; nothing was written."),
    422: ("FieldErrorsOut", "The input was refused, each problem at its field; nothing changed."),
}


def _add_components(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, FieldErrorsOut, ConflictOut):
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in body.pop("$defs", {}).items():
            components.setdefault(name, definition)
        # A router's own richer ConflictOut (the deals' one adds `missing`) is kept.
        components.setdefault(model.__name__, body)


def _takes_version(schema: dict[str, Any], operation: dict[str, Any]) -> bool:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        reference = media.get("schema", {}).get("$ref", "")
        name = reference.rsplit("/", 1)[-1]
        body = schema.get("components", {}).get("schemas", {}).get(name, {})
        if "version" in body.get("properties", {}):
            return True
    return False


def _codes(schema: dict[str, Any], path: str, method: str, operation: dict[str, Any]) -> list:
    codes = []
    if operation.get("requestBody"):
        codes.append(400)
    if operation.get("security"):
        codes.append(401)
    if method != "get":
        codes.append(403)
    if "{" in path:
        codes.append(404)
    if _takes_version(schema, operation):
        codes.append(409)
    if operation.get("parameters") or operation.get("requestBody") or method != "get":
        codes.append(422)
    return codes


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    _add_components(schema)
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for code in _codes(schema, path, method, operation):
                if code in responses or str(code) in responses:
                    continue
                name, description = DESCRIPTIONS[code]
                responses[code] = {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                }
    return schema
