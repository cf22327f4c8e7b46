"""Write or check the committed OpenAPI schema (docs/openapi.json).

`--check` fails when the API changed without the schema being regenerated (`make schema`).
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "openapi.json"


def current() -> str:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from linli.api import api

    return json.dumps(api.get_openapi_schema(), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    schema = current()
    if "--write" in sys.argv:
        TARGET.parent.mkdir(exist_ok=True)
        TARGET.write_text(schema, encoding="utf-8")
        print(f"wrote {TARGET.relative_to(ROOT)}")
        return 0
    if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != schema:
        print("docs/openapi.json is stale: run `make schema` and commit it.")
        return 1
    print("docs/openapi.json is up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
