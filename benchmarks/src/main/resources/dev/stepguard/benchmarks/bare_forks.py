# How many runs per second this machine gives a design that runs each script in a fresh process of
# its own, forked from an interpreter that is already warm. Run as
# `python -I -S bare_forks.py SCRIPT INPUT SECONDS FORKERS` in the script's directory (FORKERS 0:
# one per CPU). Each forker loads what a warm interpreter loads (`site` and `json`, neither run),
# then for SECONDS forks a child per run that does what every run must (`site`, the script with
# INPUT on stdin and its output to /dev/null, exit) and waits for it. Prints the runs per second
# of all forkers together. No record, no limits, no HTTP, no confinement: only the work that no
# such design can skip.
import io
import json  # noqa: F401 (loaded ahead, as a warm interpreter loads it)
import os
import site
import sys
import time


def forker(code, given, deadline, report):
    runs = 0
    while time.monotonic() < deadline:
        pid = os.fork()
        if pid == 0:
            try:
                site.main()
                sys.stdin = io.StringIO(given)
                sys.stdout = sys.stderr = open(os.devnull, "w")
                exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
            except SystemExit:
                pass
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        runs += 1
    os.write(report, b"%d\n" % runs)


def main():
    script, given, seconds, forkers = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    with open(script, "rb") as source:
        code = compile(source.read(), os.path.abspath(script), "exec")
    read, write = os.pipe()
    start = time.monotonic()
    deadline = start + seconds
    children = []
    for _ in range(forkers or os.cpu_count() or 1):
        pid = os.fork()
        if pid == 0:
            os.close(read)
            forker(code, given, deadline, write)
            os._exit(0)
        children.append(pid)
    os.close(write)
    for pid in children:
        os.waitpid(pid, 0)
    elapsed = time.monotonic() - start
    with os.fdopen(read) as counts:
        runs = sum(int(line) for line in counts if line.strip())
    print("%.1f" % (runs / elapsed))


if __name__ == "__main__":
    main()
