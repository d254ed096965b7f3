#!/usr/bin/env python3
"""Writes src/schemas/aws/cfn-schemas.json: AWS's CloudFormation resource provider schemas for the
types idbridge manages, as carried by the cfn-lint package (which ships the us-east-1 registry
schemas). idbridge's runtime and tests read only the JSON; rerun this after upgrading cfn-lint
(`pip install -U cfn-lint`), then `npm run schemas:generate`, and review the diff.

Usage: python3 scripts/snapshot-cfn-schemas.py [--check]
  --check  exit 1 when the checked-in snapshot differs from what cfn-lint carries now
"""

import datetime
import json
import os
import sys
from importlib.metadata import version

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

REGION = "us-east-1"
TYPES = [
    "AWS::S3::Bucket",
    "AWS::Glue::Database",
    "AWS::Glue::Table",
    "AWS::IAM::Role",
    "AWS::EntityResolution::SchemaMapping",
    "AWS::EntityResolution::IdNamespace",
    "AWS::EntityResolution::IdMappingWorkflow",
    "AWS::CleanRooms::Collaboration",
    "AWS::CleanRooms::Membership",
    "AWS::CleanRooms::IdMappingTable",
    "AWS::CleanRooms::IdNamespaceAssociation",
]
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "schemas", "aws", "cfn-schemas.json")


def main() -> int:
    schemas = {t: PROVIDER_SCHEMA_MANAGER.get_resource_schema(REGION, t).schema for t in TYPES}
    cfn_lint = version("cfn-lint")
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            current = json.load(f)
        same = current["schemas"] == schemas and current["source"]["version"] == cfn_lint
        print("snapshot is current" if same else f"snapshot differs from cfn-lint {cfn_lint}")
        return 0 if same else 1
    snapshot = {
        "source": {
            "package": "cfn-lint",
            "version": cfn_lint,
            "region": REGION,
            "api": "cfnlint.schema.PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, type).schema",
            "retrieved": datetime.date.today().isoformat(),
            "regenerate": "python3 scripts/snapshot-cfn-schemas.py && npm run schemas:generate",
        },
        "schemas": schemas,
    }
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(snapshot, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, OUT)
    print(f"wrote {os.path.relpath(OUT)}: {len(schemas)} types from cfn-lint {cfn_lint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
