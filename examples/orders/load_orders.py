"""Step 1: read the orders CSV named by the `source` path input into rows."""
import csv
import json
import sys

request = json.load(sys.stdin)
rows = []
with open(request["source"], newline="", encoding="utf-8") as f:
    for line in csv.DictReader(f):
        rows.append({
            "order": int(line["order_id"]),
            "customer": line["customer"],
            "amount": float(line["amount"]),
            "currency": line["currency"],
        })
print(f"loaded {len(rows)} orders from {request['source']}", file=sys.stderr)
json.dump({"rows": rows, "count": len(rows)}, sys.stdout)
