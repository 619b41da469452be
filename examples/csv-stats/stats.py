"""Summarises one numeric column of a CSV file inside the project.

Input:  {"path": "examples/csv-stats/orders.csv", "column": "amount"}
Output: {"rows": 6, "column": "amount", "sum": ..., "mean": ..., "min": ..., "max": ..., "skipped": [...]}

The path is relative to the project root, which is the working directory of every step.
"""
import csv
import json
import sys
from pathlib import Path


def fail(message: str) -> int:
    print(f"stats.py: {message}", file=sys.stderr)
    return 2


def main() -> int:
    request = json.load(sys.stdin)
    path = request.get("path")
    column = request.get("column", "amount")
    if not isinstance(path, str) or not path:
        return fail('give the CSV file as {"path": "dir/file.csv"}')
    source = Path(path)
    if source.is_absolute() or ".." in source.parts:
        return fail(f"{path} must be a path inside the project")

    values, skipped = [], []
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            return fail(f"{path} has no column {column!r}; it has {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            try:
                values.append(float(row[column]))
            except (TypeError, ValueError):
                skipped.append({"line": line, "value": row[column]})
                print(f"line {line}: {row[column]!r} is not a number, skipped", file=sys.stderr)

    if not values:
        return fail(f"{path} has no numeric values in column {column!r}")
    json.dump(
        {
            "rows": len(values),
            "column": column,
            "sum": round(sum(values), 2),
            "mean": round(sum(values) / len(values), 2),
            "min": min(values),
            "max": max(values),
            "skipped": skipped,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
