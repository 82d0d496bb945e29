"""Print the API's OpenAPI document (functions/api/openapi.py) as admin-site/openapi.json holds it.

No server needed: the document is built from the route table and each route's models. One
serialisation, used by `npm run gen:api` and by the test that fails when the committed copy is stale.
"""
from __future__ import annotations

import json
import os
import sys


def render() -> str:
    # Settings are read at import; the document does not depend on them, but they must load.
    os.environ.setdefault("STAGE", "local")
    from functions.api.openapi import document

    return json.dumps(document(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
