"""Step 2: convert every row to one currency with fixed example rates."""
import json
import sys

RATES_TO_EUR = {"EUR": 1.0, "USD": 0.92, "GBP": 1.17}

request = json.load(sys.stdin)
target = request["currency"]
if target not in RATES_TO_EUR:
    print(f"no rate for {target}; known: {sorted(RATES_TO_EUR)}", file=sys.stderr)
    sys.exit(2)
converted = []
for row in request["rows"]:
    in_eur = row["amount"] * RATES_TO_EUR[row["currency"]]
    converted.append({**row, "amount": round(in_eur / RATES_TO_EUR[target], 2), "currency": target})
json.dump({"rows": converted}, sys.stdout)
