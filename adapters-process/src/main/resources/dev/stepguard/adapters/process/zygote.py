# stepguard fork server, run as `python -I -S -B -c <this> SIZE SOCKET` in the project root with
# an allowlisted environment. It reads the compiled bootstrap (SIZE bytes, marshal) from stdin, then
# requests, one a line: `fork NONCE` (32 hex digits), read and served one at a time into one buffer
# that is zeroed before the next fork, so that no child inherits a sibling's nonce (the nonce of a
# fork still waiting for its connections would let a script take that fork's streams). For each
# request it forks a child that connects three times to the Unix socket SOCKET (stdin, stdout,
# stderr; each connection first sends the NONCE and the stream's index), puts them on fds 0-2,
# closes every other descriptor and runs the bootstrap as a warm interpreter (`-`): it waits for its
# run's header on stdin. It reports on
# stdout `pid NONCE PID` after each fork and `exit PID STATUS` once it reaped a child (STATUS as
# Java's Process: the exit code, or 128 + the signal). It never runs any code but its own and the
# bootstrap's definitions, which a child executes after the fork. At the end of its stdin it forks
# no more and exits once its last child is gone.
import gc
import marshal
import os
import select
import signal
import socket
import sys


def _not_dumpable():
    """No process of this user but root may read this server's memory, environment or descriptors
    (its control pipe carries the nonces of runs to come) or trace it: PR_SET_DUMPABLE 0. Its
    children inherit it while they wait and become dumpable once they take a run (the bootstrap);
    a script can still signal it, which costs speed only."""
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:
        raise SystemExit("stepguard fork server: prctl(PR_SET_DUMPABLE) failed")


_not_dumpable()

def _read_exactly(size):
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))
        if not chunk:
            raise SystemExit(0)
        data += chunk
    return data


def _report(line):
    os.write(1, line.encode("ascii") + b"\n")


def _status(status):
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _become_child(address, request):
    """In the forked child: the run's streams on fds 0-2, nothing else open, default signals."""
    nonce = bytes.fromhex(request[_NONCE_AT:_NONCE_END].decode("ascii"))
    request[:] = bytes(len(request))
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    streams = []
    for index in range(3):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(address)
        connection.sendall(nonce + bytes((index,)))
        streams.append(connection.detach())
    for index, fd in enumerate(streams):
        os.dup2(fd, index)
    keep = {0, 1, 2}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


# A request, `fork ` then 32 hex digits then a newline: the nonce's place in it.
_REQUEST = 38
_NONCE_AT = 5
_NONCE_END = 37
_HEX = frozenset(b"0123456789abcdef")


def _read_request(request, filled):
    """Reads what stdin has of one request into `request`, one byte at a time so that nothing of
    the next is read; returns how much of it is filled, or -1 at the end of input."""
    view = memoryview(request)
    while filled < _REQUEST:
        try:
            count = os.readv(0, [view[filled:filled + 1]])
        except BlockingIOError:
            return filled
        if count == 0:
            return -1
        filled += 1
        if request[filled - 1] == 10:
            break
    return filled


def _well_formed(request, filled):
    return (
        filled == _REQUEST
        and request[:_NONCE_AT] == b"fork "
        and request[_REQUEST - 1] == 10
        and all(byte in _HEX for byte in memoryview(request)[_NONCE_AT:_NONCE_END])
    )


def _serve(address):
    """Forks on request and reports; returns only in a forked child, ready to run the bootstrap."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda number, frame: None)
    children = set()
    # The one buffer any nonce is ever read into; no other object holds one in this process.
    request = bytearray(_REQUEST)
    filled = 0
    open_input = True
    while open_input or children:
        watched = [wake_read, 0] if open_input else [wake_read]
        ready = select.select(watched, [], [], 1.0)[0]
        if wake_read in ready:
            try:
                while os.read(wake_read, 4096):
                    pass
            except BlockingIOError:
                pass
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                break
            if pid == 0:
                break
            children.discard(pid)
            _report("exit %d %d" % (pid, _status(status)))
        if 0 not in ready:
            continue
        filled = _read_request(request, filled)
        if filled < 0:
            open_input = False
            continue
        if filled < _REQUEST and request[filled - 1] != 10:
            continue
        if _well_formed(request, filled):
            pid = os.fork()
            if pid == 0:
                try:
                    _become_child(address, request)
                except BaseException:
                    os._exit(127)
                return
            children.add(pid)
            os.writev(1, [b"pid ", memoryview(request)[_NONCE_AT:_NONCE_END], b" %d\n" % pid])
        request[:] = bytes(_REQUEST)
        filled = 0
    raise SystemExit(0)


_bootstrap = marshal.loads(_read_exactly(int(sys.argv[1])))
# What every run imports before the script's first line, loaded once here (the bootstrap's
# _PRELOAD: its definitions run, not its main). What is loaded now is shared by every child and
# never collected: out of the collector's sight, a child neither touches those pages
# (copy-on-write) nor spends its exit collecting them.
_definitions = {"__name__": "stepguard_bootstrap", "__builtins__": __builtins__}
exec(_bootstrap, _definitions)
# The bootstrap's _Native (prctl, setrlimit and the compiler entry point through _ctypes), made once
# here: it depends on nothing of a run, and making it cost each child milliseconds.
_native = _definitions["_preload"]()
del _definitions
if hasattr(gc, "freeze"):
    gc.freeze()
os.set_blocking(0, False)
_serve(sys.argv[2])
sys.argv[:] = ["-c", "-"]
del _read_exactly, _report, _status, _become_child, _serve, _not_dumpable
del _read_request, _well_formed, _REQUEST, _NONCE_AT, _NONCE_END, _HEX
# _FORKED: the bootstrap's child ends by its quick exit (bootstrap.py, _QuickExit).
# _NATIVE: the _Native made above, before the fork.
_globals = {"__name__": "__main__", "__builtins__": __builtins__, "_FORKED": True}
_globals["_NATIVE"] = _native
del _native
exec(_bootstrap, _globals)
