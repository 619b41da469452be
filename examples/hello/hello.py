"""The stepguard script template: one JSON object in on stdin, one JSON object out on stdout.

Logs and diagnostics go to stderr; stdout carries only the result.
"""
import json
import sys


def main() -> int:
    request = json.load(sys.stdin)
    name = request.get("name", "world")
    print(f"greeting {name}", file=sys.stderr)
    json.dump({"greeting": f"Hello, {name}!"}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
