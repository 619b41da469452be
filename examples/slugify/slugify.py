"""Turns titles into URL slugs and reports the ones that collide.

Input:  {"titles": ["Hello, World!", "hello world", "Ünïcode Straße"], "max_length": 40}
Output: {"slugs": {...title: slug...}, "collisions": {"hello-world": ["Hello, World!", "hello world"]}}

A title that is not a string is a usage error: the script says so on stderr and exits 2.
"""
import json
import re
import sys
import unicodedata


def slugify(title: str, max_length: int) -> str:
    ascii_text = unicodedata.normalize("NFKD", title.replace("ß", "ss"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"


def main() -> int:
    request = json.load(sys.stdin)
    titles = request.get("titles", [])
    max_length = int(request.get("max_length", 60))
    bad = [t for t in titles if not isinstance(t, str)]
    if bad:
        print(f"slugify.py: titles must be strings, got {bad!r}", file=sys.stderr)
        return 2

    slugs = {title: slugify(title, max_length) for title in titles}
    by_slug = {}
    for title, slug in slugs.items():
        by_slug.setdefault(slug, []).append(title)
    collisions = {slug: group for slug, group in by_slug.items() if len(group) > 1}
    print(f"{len(slugs)} titles, {len(collisions)} collisions", file=sys.stderr)
    json.dump({"slugs": slugs, "collisions": collisions}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
