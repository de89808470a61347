#!/usr/bin/env python3
"""Writes Sources/AssayServer/OpenAPIDocument.swift from docs/openapi.json (the copy people edit),
in the layout OperationsTests checks: the JSON, two-space indented, inside a raw string."""
import json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
document = json.loads((root / "docs/openapi.json").read_text())
text = json.dumps(document, indent=2, ensure_ascii=False)
(root / "docs/openapi.json").write_text(text + "\n")
(root / "Sources/AssayServer/OpenAPIDocument.swift").write_text(
    "// The OpenAPI description of the whole API, served at /openapi.json. Kept equal to docs/openapi.json\n"
    "// (the readable copy) and checked against the router's routes by OpenAPITests.\n"
    "// Edit docs/openapi.json, then run scripts/sync-openapi.py.\n"
    "enum OpenAPIDocument {\n"
    '    static let json = #"""\n' + text + '\n"""#\n}\n')
