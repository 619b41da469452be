# What this machine gives a design that runs each script in a fresh process of its own, forked
# from an interpreter that is already warm, with nothing of stepguard: no record, no limits, no
# HTTP, no confinement, only the work that no such design can skip. Run with `python -I -S` in the
# script's directory, which loads what a warm interpreter loads (`site` and `json`, neither run):
#
#   bare_forks.py rate SCRIPT INPUT SECONDS FORKERS
#     Each of FORKERS (0: one per CPU) forks, for SECONDS, a child per run that does what every
#     run must (`site`, the script with INPUT on stdin and its output to /dev/null, exit) and waits
#     for it. Prints the runs per second of all forkers together.
#   bare_forks.py warm SCRIPT INPUT RUNS PAUSE_MS
#     RUNS runs (after a fifth as many unmeasured) one after the other in children forked ahead,
#     each of which copies its writable memory while it waits (MADV_POPULATE_WRITE, as stepguard's
#     warm children do); PAUSE_MS 0: back to back, the next child forked as the run starts; else a
#     pause after each run. Prints the lower median in milliseconds from the go to the child's end.
# A child whose script fails fails the measurement.
import ctypes
import io
import json  # noqa: F401 (loaded ahead, as a warm interpreter loads it)
import os
import site
import sys
import time


def run(code, given):
    """What a run's child does after its fork; never returns. Exits 0 only if the script did."""
    status = 1
    try:
        site.main()
        sys.stdin = io.StringIO(given)
        sys.stdout = sys.stderr = open(os.devnull, "w")
        exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
        status = 0
    except SystemExit as end:
        status = 0 if end.code in (None, 0) else 1
    finally:
        os._exit(status)


def reap(pid):
    """Waits for a child; a child that failed fails the measurement."""
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise SystemExit("a child ended with status %d" % status)


def forker(code, given, deadline, report):
    runs = 0
    while time.monotonic() < deadline:
        pid = os.fork()
        if pid == 0:
            run(code, given)
        reap(pid)
        runs += 1
    os.write(report, b"%d\n" % runs)


def rate(code, given, seconds, forkers):
    read, write = os.pipe()
    start = time.monotonic()
    children = []
    for _ in range(forkers or os.cpu_count() or 1):
        pid = os.fork()
        if pid == 0:
            os.close(read)
            status = 1
            try:
                forker(code, given, start + seconds, write)
                status = 0
            finally:
                os._exit(status)
        children.append(pid)
    os.close(write)
    for pid in children:
        reap(pid)
    elapsed = time.monotonic() - start
    with os.fdopen(read) as counts:
        runs = sum(int(line) for line in counts if line.strip())
    print("%.1f" % (runs / elapsed))


def prefault(madvise):
    with open("/proc/self/maps", "rb") as maps:
        regions = maps.read().splitlines()
    for region in regions:
        fields = region.split()
        if len(fields) < 5 or fields[1][:2] != b"rw" or fields[1][3:4] != b"p":
            continue
        if len(fields) > 5 and fields[5].startswith(b"[") and fields[5] != b"[heap]":
            continue
        low, high = (int(bound, 16) for bound in fields[0].split(b"-"))
        if high - low <= 64 << 20:
            madvise(ctypes.c_void_p(low), ctypes.c_size_t(high - low), 23)


def ahead(code, given, madvise):
    """A child forked ahead: it copies its memory, then waits for the go on a pipe."""
    go, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(write)
        prefault(madvise)
        if not os.read(go, 1):
            os._exit(0)
        run(code, given)
    os.close(go)
    return pid, write


def warm(code, given, runs, pause):
    madvise = ctypes.CDLL(None, use_errno=True).madvise
    ready = ahead(code, given, madvise)
    time.sleep(0.2)
    times = []
    # The first fifth warms up, unmeasured, as the server's runs do.
    for number in range(runs + runs // 5):
        pid, go = ready
        start = time.monotonic()
        os.write(go, b"x")
        if not pause:
            ready = ahead(code, given, madvise)
        reap(pid)
        if number >= runs // 5:
            times.append(time.monotonic() - start)
        os.close(go)
        if pause:
            ready = ahead(code, given, madvise)
            time.sleep(pause)
    os.close(ready[1])
    reap(ready[0])
    times.sort()
    # The lower median, as the benchmark's own samples take it.
    print("%.2f" % (1000 * times[(len(times) + 1) // 2 - 1]))


def main():
    mode, script, given = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(script, "rb") as source:
        code = compile(source.read(), os.path.abspath(script), "exec")
    if mode == "rate":
        rate(code, given, float(sys.argv[4]), int(sys.argv[5]))
    else:
        warm(code, given, int(sys.argv[4]), int(sys.argv[5]) / 1000)


if __name__ == "__main__":
    main()
