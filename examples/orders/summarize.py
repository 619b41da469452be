"""Step 3: totals per customer, the grand total and the biggest customer."""
import json
import sys

request = json.load(sys.stdin)
totals = {}
for row in request["rows"]:
    totals[row["customer"]] = round(totals.get(row["customer"], 0.0) + row["amount"], 2)
top = max(totals, key=totals.get) if totals else None
json.dump({
    "title": request["title"],
    "currency": request["currency"],
    "orders": len(request["rows"]),
    "total": round(sum(totals.values()), 2),
    "byCustomer": dict(sorted(totals.items())),
    "topCustomer": top,
}, sys.stdout)
