# stepguard bootstrap: run with `python -I -B -c <this> SCRIPT CPU_S MEM FSIZE NOFILE NPROC`.
# The first process is a supervisor: it opens SCRIPT from the working directory (the project
# root) one component at a time without following links, becomes the child subreaper, and forks
# a worker. The worker applies the limits (soft = hard) and runs the bytes that were opened as
# __main__. When the worker ends, the supervisor kills whatever it left behind and writes one
# report line to stderr, the last thing written there.
import os
import sys

REPORT = b"\n\x1estepguard-report v1 "


def _report(fields):
    os.write(2, REPORT + " ".join(fields).encode("utf-8", "replace") + b"\n")


def _refuse(reason):
    _report(["refused=" + reason.replace("\n", " ")])
    os._exit(126)


def _open_script(relative):
    parts = relative.split("/")
    cloexec = getattr(os, "O_CLOEXEC", 0)
    directory_flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | cloexec
    fd = os.open(".", os.O_RDONLY | os.O_DIRECTORY | cloexec)
    try:
        for part in parts[:-1]:
            next_fd = os.open(part, directory_flags, dir_fd=fd)
            os.close(fd)
            fd = next_fd
        script_fd = os.open(
            parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | cloexec, dir_fd=fd
        )
    finally:
        os.close(fd)
    try:
        mode = os.fstat(script_fd).st_mode
        if (mode & 0o170000) != 0o100000:
            raise OSError("not a regular file")
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
        with open("/proc/%d/task/%d/children" % (me, me)) as listing:
            return [int(pid) for pid in listing.read().split()]
    except OSError:
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/%s/stat" % entry) as stat:
                        if int(stat.read().rsplit(")", 1)[1].split()[1]) == me:
                            found.append(int(entry))
                except (OSError, IndexError, ValueError):
                    pass
        return found


def _kill_leftovers():
    me = os.getpid()
    while True:
        for pid in _children(me):
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _set_limit(resource, which, value):
    if value <= 0:
        return
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def _worker(path, source, cpu, memory, fsize, nofile, nproc, memory_pipe):
    import resource

    try:
        import _signal as signals
    except ImportError:
        import signal as signals
    signals.signal(signals.SIGXFSZ, signals.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _set_limit(resource, resource.RLIMIT_CPU, cpu)
    _set_limit(resource, resource.RLIMIT_AS, memory)
    _set_limit(resource, resource.RLIMIT_FSIZE, fsize)
    _set_limit(resource, resource.RLIMIT_NOFILE, nofile)
    _set_limit(resource, resource.RLIMIT_NPROC, nproc)
    main = type(sys)("__main__")
    main.__file__ = path
    main.__builtins__ = __builtins__
    main.__cached__ = None
    sys.modules["__main__"] = main
    sys.argv[:] = [path]
    sys.path.insert(0, os.path.dirname(path))
    try:
        exec(compile(source, path, "exec", dont_inherit=True), main.__dict__)
    except SystemExit:
        raise
    except BaseException as error:
        if isinstance(error, MemoryError):
            os.write(memory_pipe, b"m")
        sys.excepthook(type(error), error, error.__traceback__.tb_next)
        sys.exit(1)


def _main():
    relative = sys.argv[1]
    cpu, memory, fsize, nofile, nproc = (int(value) for value in sys.argv[2:7])
    cwd = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", cwd)]
    try:
        source = _open_script(relative)
    except OSError as error:
        reason = error.strerror or str(error)
        if error.errno == 40:
            reason = "a symbolic link appeared on the way after validation"
        _refuse("could not open %s safely: %s" % (relative, reason))
    digest = _sha256(source)
    subreaper = _become_subreaper()
    memory_read, memory_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(memory_read)
        _worker(os.path.join(cwd, relative), source, cpu, memory, fsize, nofile, nproc, memory_write)
        sys.exit(0)
    os.close(memory_write)
    os.close(0)
    os.close(1)
    _, status, usage = os.wait4(pid, 0)
    _kill_leftovers()
    os.set_blocking(memory_read, False)
    try:
        memory_error = os.read(memory_read, 1) == b"m"
    except OSError:
        memory_error = False
    fields = [
        "cpu_ms=%d" % int((usage.ru_utime + usage.ru_stime) * 1000),
        "maxrss_kib=%d" % usage.ru_maxrss,
        "sha256=" + digest,
        "subreaper=%d" % subreaper,
    ]
    if os.WIFSIGNALED(status):
        fields.insert(0, "signal=%d" % os.WTERMSIG(status))
        code = 128 + os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
        fields.insert(0, "exit=%d" % code)
    if memory_error:
        fields.append("memory=1")
    _report(fields)
    os._exit(code)


_main()
