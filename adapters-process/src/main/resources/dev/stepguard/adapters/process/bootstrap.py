# stepguard bootstrap, run as `python -I -B -c <this> SCRIPT CPU_S MEM FSIZE NOFILE NPROC`.
# Opens SCRIPT from the working directory (the project root) one component at a time without
# following links, reports the SHA-256 of the bytes it read as the first line on stderr, starts a
# new session, becomes the child subreaper, applies the limits, and runs those bytes as __main__.
# However the script ends short of a signal, the processes it left behind are killed and a last
# report line says how it ended.
import os
import sys

MARK = b"\x1estepguard-"


def _line(kind, text):
    os.write(2, b"\n" + MARK + kind + b" v1 " + text.encode("utf-8", "replace") + b"\n")


def _open_script(relative):
    parts = relative.split("/")
    cloexec = getattr(os, "O_CLOEXEC", 0)
    fd = os.open(".", os.O_RDONLY | os.O_DIRECTORY | cloexec)
    try:
        for part in parts[:-1]:
            flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | cloexec
            next_fd = os.open(part, flags, dir_fd=fd)
            os.close(fd)
            fd = next_fd
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | cloexec
        script_fd = os.open(parts[-1], flags, dir_fd=fd)
    finally:
        os.close(fd)
    try:
        if (os.fstat(script_fd).st_mode & 0o170000) != 0o100000:
            raise OSError(0, "it is not a regular file")
        chunks = []
        while True:
            chunk = os.read(script_fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(script_fd)


def _sha256(data):
    try:
        from _sha256 import sha256
    except ImportError:
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256
    return sha256(data).hexdigest()


def _become_subreaper():
    try:
        import _ctypes

        class _Int(_ctypes._SimpleCData):
            _type_ = "i"

        class _Function(_ctypes.CFuncPtr):
            _flags_ = _ctypes.FUNCFLAG_CDECL
            _restype_ = _Int

        class _Process:
            _handle = _ctypes.dlopen(None, 2)

        return _Function(("prctl", _Process()))(36, 1, 0, 0, 0) == 0
    except Exception:
        return False


def _children(me):
    try:
        with open("/proc/%d/task/%d/children" % (me, me), "rb") as listing:
            return [int(pid) for pid in listing.read().split()]
    except OSError:
        return []


def _kill_leftovers(kill, waitpid):
    me = os.getpid()
    while True:
        for pid in _children(me):
            try:
                kill(pid, 9)
            except OSError:
                pass
        try:
            waitpid(-1, 0)
        except ChildProcessError:
            return
        except OSError:
            return


def _set_limit(resource, which, soft, hard):
    if soft <= 0:
        return
    current_hard = resource.getrlimit(which)[1]
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(which, (soft, hard))


def _apply_limits(cpu, memory, fsize, nofile, nproc):
    import resource

    try:
        import _signal as signals
    except ImportError:
        import signal as signals
    signals.signal(signals.SIGXFSZ, signals.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # The CPU hard limit is one second above the soft one: at the soft limit the kernel sends
    # SIGXCPU, which names the cause; at a hard limit it would send an anonymous SIGKILL.
    _set_limit(resource, resource.RLIMIT_CPU, cpu, cpu + 1)
    _set_limit(resource, resource.RLIMIT_AS, memory, memory)
    _set_limit(resource, resource.RLIMIT_FSIZE, fsize, fsize)
    _set_limit(resource, resource.RLIMIT_NOFILE, nofile, nofile)
    _set_limit(resource, resource.RLIMIT_NPROC, nproc, nproc)
    return resource


class _Ending:
    def __init__(self, resource, real_exit):
        self.resource = resource
        self.real_exit = real_exit
        self.kill = os.kill
        self.waitpid = os.waitpid
        self.memory_error = False
        self.done = False
        self.code = 0
        self.pid = os.getpid()

    def finish(self, code):
        # Forked children inherit this object; only the script's own process reports.
        if self.done or os.getpid() != self.pid:
            return
        self.done = True
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        _kill_leftovers(self.kill, self.waitpid)
        me = self.resource.getrusage(self.resource.RUSAGE_SELF)
        kids = self.resource.getrusage(self.resource.RUSAGE_CHILDREN)
        cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
        _line(
            b"end",
            "exit=%d cpu_ms=%d maxrss_kib=%d memory=%d"
            % (code, int(cpu * 1000), me.ru_maxrss, self.memory_error),
        )

    def at_exit(self):
        self.finish(self.code)

    def exit_now(self, code):
        self.finish(code)
        self.real_exit(code)


def _exit_code(error):
    code = error.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except Exception:
        pass
    return 1


def _main():
    relative = sys.argv[1]
    cpu, memory, fsize, nofile, nproc = (int(value) for value in sys.argv[2:7])
    root = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", root)]
    try:
        source = _open_script(relative)
    except OSError as error:
        reason = error.strerror or str(error)
        if error.errno == 40:
            reason = "a symbolic link appeared on the way after validation"
        _line(b"refused", "could not open %s safely: %s" % (relative, reason))
        os._exit(126)
    _line(b"start", "sha256=" + _sha256(source))
    try:
        os.setsid()
    except OSError:
        pass
    _become_subreaper()
    ending = _Ending(_apply_limits(cpu, memory, fsize, nofile, nproc), os._exit)
    os._exit = ending.exit_now
    import atexit

    # Registered first, so it runs last: after the script's own atexit handlers.
    atexit.register(ending.at_exit)

    path = os.path.join(root, relative)
    main = type(sys)("__main__")
    main.__file__ = path
    main.__builtins__ = __builtins__
    main.__cached__ = None
    sys.modules["__main__"] = main
    sys.argv[:] = [path]
    sys.path.insert(0, os.path.dirname(path))
    try:
        exec(compile(source, path, "exec", dont_inherit=True), main.__dict__)
    except SystemExit as error:
        ending.code = _exit_code(error)
    except BaseException as error:
        ending.memory_error = isinstance(error, MemoryError)
        sys.excepthook(type(error), error, error.__traceback__.tb_next)
        ending.code = 1
    sys.exit(ending.code)


_main()
