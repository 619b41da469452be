# stepguard bootstrap, run as
# `python -I -S -B -c <loader> SIZE SCRIPT CPU_S MEM FSIZE NOFILE NPROC UID CONFINE VENV [DIR...]`,
# or warm, as `python -I -S -B -c <loader> SIZE -`, started before its run: it then reads those
# arguments and the run's environment from stdin, after its own code (see _warm_arguments).
# The interpreter starts without `site`: site-packages, `.pth` files and a venv (VENV, the venv's
# python, or empty) are set up only once the script's process is confined and unprivileged.
# With CONFINE 1 (sandbox isolation) it first installs a seccomp filter that forbids user
# namespaces, or reports that it could not and runs nothing. It opens SCRIPT from the working
# directory (the project root) one component at a time without following links, reports the
# SHA-256 of the bytes it read as the first line on stderr, starts a new session, becomes the child
# subreaper, applies the limits, and runs those bytes as __main__. However the script ends short of
# a signal, the processes it left behind are killed and a last report line says how it ended.
# sys.path is the script's directory, then each DIR (pythonPath: project directories, relative to
# the project root), then the standard library and site-packages. PYTHONPATH is never read (-I).
import os
import sys
import time

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


# seccomp's view of a system call: struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6]}.
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
# clone, unshare and clone3 on each architecture.
_NAMESPACE_CALLS = {"x86_64": (56, 272, 435), "aarch64": (220, 97, 435)}
_CLONE_NEWUSER = 0x10000000
_X32_SYSCALL_BIT = 0x40000000


def _user_namespace_filter(machine):
    """A classic BPF program: system calls of another ABI (i386, x32) kill the process; clone3
    fails with ENOSYS (its flags are out of a filter's reach; libc then falls back to clone); clone
    and unshare with CLONE_NEWUSER fail with EPERM; everything else is allowed."""
    load, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    allow, kill, errno = 0x7FFF0000, 0x80000000, 0x00050000
    clone, unshare, clone3 = _NAMESPACE_CALLS[machine]

    def op(code, k, jt=0, jf=0):
        return code.to_bytes(2, "little") + bytes((jt, jf)) + k.to_bytes(4, "little")

    program = [op(load, 4), op(jeq, _AUDIT_ARCH[machine], 1, 0), op(ret, kill), op(load, 0)]
    if machine == "x86_64":
        program += [op(jge, _X32_SYSCALL_BIT, 0, 1), op(ret, kill)]
    program += [
        op(jeq, clone3, 0, 1),
        op(ret, errno | 38),
        op(jeq, unshare, 1, 0),
        op(jeq, clone, 0, 3),
        op(load, 16),  # the low half of args[0], the flags of both calls (little-endian)
        op(jset, _CLONE_NEWUSER, 0, 1),
        op(ret, errno | 1),
        op(ret, allow),
    ]
    return b"".join(program)


class _Native:
    """prctl and the C compiler entry point, reached through _ctypes (the ctypes package costs more
    to import than a whole launch should). Either may be None where they cannot be had."""

    def __init__(self):
        self.prctl = None
        self.compile = None
        self.setrlimit_call = None
        self.c_bytes = None
        self.address = None
        self.errno = lambda: 0
        self.madvise = None
        try:
            import _ctypes

            class _Int(_ctypes._SimpleCData):
                _type_ = "i"

            class _Char(_ctypes._SimpleCData):
                _type_ = "c"

            class _Object(_ctypes._SimpleCData):
                _type_ = "O"

            class _CFunction(_ctypes.CFuncPtr):
                _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_USE_ERRNO
                _restype_ = _Int

            class _PyFunction(_ctypes.CFuncPtr):
                _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_PYTHONAPI
                _restype_ = _Object

            class _Process:
                _handle = _ctypes.dlopen(None, 2)

            self.prctl = _CFunction(("prctl", _Process()))
            self.errno = _ctypes.get_errno
            self.address = _ctypes.addressof
            self.c_bytes = lambda data: type(
                "_Bytes", (_ctypes.Array,), {"_type_": _Char, "_length_": len(data)}
            ).from_buffer_copy(data)
            if os.uname().machine in ("x86_64", "aarch64") and sys.maxsize > 2**32:
                self.setrlimit_call = _CFunction(("setrlimit", _Process()))
            # Py_CompileStringExFlags(source, filename, Py_file_input, NULL, -1): compiles the
            # script's own bytes (coding cookie and BOM honoured) without the builtin compile()'s
            # one-off set-up of the ast module, which costs more than a millisecond.
            compile_string = _PyFunction(("Py_CompileStringExFlags", _Process()))
            self.compile = lambda source, path: compile_string(
                source, path.encode("utf-8", "surrogateescape"), 257, None, -1
            )

            class _Size(_ctypes._SimpleCData):
                _type_ = "L"

            madvise = _CFunction(("madvise", _Process()))
            madvise.argtypes = (_Size, _Size, _Int)
            self.madvise = madvise
        except Exception:
            pass

    def prefault(self):
        """Copies now, while a fork server's child waits for its run, every page of its private
        writable memory (MADV_POPULATE_WRITE, Linux 5.14 and later): otherwise its run stops at
        the first write to each page it still shares with the server (a reference count changed is
        a write), about a third of a warm run's own time on a virtual machine. Does nothing where
        the kernel lacks it."""
        if self.madvise is None:
            return
        try:
            with open("/proc/self/maps", "rb") as maps:
                regions = maps.read().splitlines()
        except OSError:
            return
        budget = 256 << 20
        for region in regions:
            # address perms offset device inode [path]: private ("p") and writable, no stack; none
            # so large that it is more likely reserved than used (an allocator's arena).
            fields = region.split()
            if len(fields) < 5 or fields[1][:2] != b"rw" or fields[1][3:4] != b"p":
                continue
            if len(fields) > 5 and fields[5].startswith(b"[") and fields[5] != b"[heap]":
                continue
            low, high = (int(bound, 16) for bound in fields[0].split(b"-"))
            if high - low > 64 << 20 or high - low > budget:
                continue
            budget -= high - low
            try:
                # EINVAL: a kernel without the advice; ENOMEM: no memory to copy into.
                if self.madvise(low, high - low, 23) != 0 and self.errno() in (12, 22):
                    return
            except Exception:
                return

    def become_subreaper(self):
        try:
            return self.prctl is not None and self.prctl(36, 1, 0, 0, 0) == 0
        except Exception:
            return False

    def become_dumpable(self):
        """A warm child inherits its fork server's PR_SET_DUMPABLE 0; once it is a run's, it is
        dumpable as a cold run is (its /proc/self/environ readable by the script again)."""
        try:
            if self.prctl is not None:
                self.prctl(4, 1, 0, 0, 0)
        except Exception:
            pass

    def confine(self):
        """Forbids user namespaces to this process and all it starts (seccomp, after
        PR_SET_NO_NEW_PRIVS). Returns None when the filter is in place, or why it is not."""
        machine = os.uname().machine
        if machine not in _AUDIT_ARCH or sys.maxsize <= 2**32 or sys.byteorder != "little":
            return "no system call filter for %s (only 64-bit x86_64 and aarch64)" % machine
        if self.prctl is None or self.c_bytes is None:
            return "prctl cannot be reached through _ctypes"
        if self.prctl(38, 1, 0, 0, 0) != 0:
            return "prctl(PR_SET_NO_NEW_PRIVS) failed: " + os.strerror(self.errno())
        program = self.c_bytes(_user_namespace_filter(machine))
        # struct sock_fprog {unsigned short len; struct sock_filter *filter;}, 64-bit layout.
        fprog = (len(program) // 8).to_bytes(2, "little") + bytes(6)
        fprog += self.address(program).to_bytes(8, "little")
        if self.prctl(22, 2, fprog, 0, 0) != 0:
            return "prctl(PR_SET_SECCOMP) failed: " + os.strerror(self.errno())
        return None

    def setrlimit(self, which, soft, hard):
        """setrlimit(2) with a struct rlimit of two 64-bit values; False if it did not take."""
        if self.setrlimit_call is None:
            return False
        limits = soft.to_bytes(8, sys.byteorder) + hard.to_bytes(8, sys.byteorder)
        try:
            return self.setrlimit_call(which, limits) == 0
        except Exception:
            return False

    def compile_script(self, source, path):
        if self.compile is not None and b"\0" not in source:
            return self.compile(source, path)
        return compile(source, path, "exec", dont_inherit=True)


def _children():
    """The children of every thread of this process: /proc lists a child under the thread that
    started it (or that it was reparented to), so the main thread's list alone misses those of
    worker threads."""
    found = []
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open("/proc/self/task/%s/children" % task, "rb") as listing:
                found.extend(int(pid) for pid in listing.read().split())
        except (OSError, ValueError):
            pass
    return found


def _kill_leftovers(kill, waitpid, clock, pause, patience=2.0):
    """SIGKILLs and reaps every child, orphans reparented to this subreaper included, until none
    is left. Never blocks on a child: a child it cannot see or kill is left to stepguard, which
    ends what is left of the run once this process is gone."""
    try:
        waitpid(-1, os.WNOHANG)  # cheap: most scripts leave no child at all
    except ChildProcessError:
        return
    deadline = clock() + patience
    while True:
        for pid in _children():
            try:
                kill(pid, 9)
            except OSError:
                pass
        try:
            while waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except OSError:
            return
        if clock() > deadline:
            return
        pause(0.001)


# Linux's resource numbers on x86-64 and arm64, where _Native sets limits directly.
_LIMITS = {"CORE": 4, "CPU": 0, "AS": 9, "FSIZE": 1, "NOFILE": 7, "NPROC": 6}


def _set_limit_clamped(name, soft, hard):
    """The slow, portable way: the resource module, never above the current hard limit."""
    import resource

    which = getattr(resource, "RLIMIT_" + name)
    current_hard = resource.getrlimit(which)[1]
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(which, (soft, hard))


def _apply_limits(native, cpu, memory, fsize, nofile, nproc):
    try:
        import _signal as signals
    except ImportError:
        import signal as signals
    signals.signal(signals.SIGXFSZ, signals.SIG_DFL)
    # The CPU hard limit is one second above the soft one: at the soft limit the kernel sends
    # SIGXCPU, which names the cause; at a hard limit it would send an anonymous SIGKILL.
    wanted = (
        ("CORE", 0, 0),
        ("CPU", cpu, cpu + 1),
        ("AS", memory, memory),
        ("FSIZE", fsize, fsize),
        ("NOFILE", nofile, nofile),
        ("NPROC", nproc, nproc),
    )
    for name, soft, hard in wanted:
        if name != "CORE" and soft <= 0:
            continue
        if not native.setrlimit(_LIMITS[name], soft, hard):
            _set_limit_clamped(name, soft, hard)


def _max_rss_kib():
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return -1


class _Ending:
    def __init__(self, real_exit):
        self.real_exit = real_exit
        self.kill = os.kill
        self.waitpid = os.waitpid
        self.clock = time.monotonic
        self.pause = time.sleep
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
        _kill_leftovers(self.kill, self.waitpid, self.clock, self.pause)
        times = os.times()
        cpu = times.user + times.system + times.children_user + times.children_system
        _line(
            b"end",
            "exit=%d cpu_ms=%d maxrss_kib=%d memory=%d"
            % (code, int(cpu * 1000), _max_rss_kib(), self.memory_error),
        )

    def at_exit(self):
        self.finish(self.code)

    def exit_now(self, code):
        self.finish(code)
        self.real_exit(code)


class _QuickExit:
    """The exit of a child of the fork server (zygote.py): what a normal exit does that a script can
    observe, then os._exit, without tearing down the modules the server loaded. Tearing those down
    drops a reference to each of their objects and so copies every page the child shares with its
    server (8-20 ms a run). Py_FinalizeEx's steps, in its order: non-daemon threads are joined
    (threading._shutdown), atexit handlers run, sys.stdout and sys.stderr are flushed, the original
    streams replace those the script put in sys.std*, __main__ and every module imported since the
    fork leave sys.modules (None in their place), the builtins the script added or replaced are
    restored, the garbage is collected, the globals of those modules still alive are cleared (in
    the reverse order of their imports; names with one leading underscore first), the signal
    handlers the script set are let go (SIG_DFL) and the garbage is collected again; then the files
    left open are flushed and let go, the garbage is collected once more, the standard streams are
    flushed once more, and the process ends with the code the normal exit would give. What it calls
    of the runtime it binds before the script runs, as the normal exit calls it from C: a script
    that replaces atexit._run_exitfuncs or gc.collect, or hooks __import__, changes nothing of its
    end. Where it could differ from the normal exit it steps aside, and the normal exit goes on
    from where it stands: sys.modules replaced, a module of the server's replaced or removed in it,
    __main__ not the script's, a thread still running (a daemon, or one an atexit handler started),
    a standard stream that fails to flush, or any exception of its own. The modules the server
    loaded are never cleared: their state, and what of the script only they still reach, are not
    finalized (docs/script-authoring.md)."""

    def __init__(self):
        import _io
        import _thread
        import _signal
        import _weakref
        import atexit
        import builtins
        import gc

        # Bound now, before the script runs: a normal exit calls none of them through what the
        # script can replace (atexit._run_exitfuncs, gc.collect, an import hook).
        self.run_exitfuncs = atexit._run_exitfuncs
        self.count_threads = _thread._count
        self.collect = gc.collect
        self.get_objects = gc.get_objects
        self.weak = _weakref.ref
        self.kinds = (_io.FileIO, _io.BufferedWriter, _io.BufferedRandom, _io.TextIOWrapper)
        self.signal = _signal.signal
        self.getsignal = _signal.getsignal
        self.default = _signal.SIG_DFL
        self.handlers = {number: _signal.getsignal(number) for number in _handled(_signal)}
        self.modules = sys.modules
        self.preloaded = dict(sys.modules)
        self.builtins = builtins.__dict__
        self.original_builtins = dict(builtins.__dict__)
        self.main = None

    def watch(self, main):
        """The script's __main__ module, known only weakly: the exit drops it."""
        self.main = self.weak(main)

    def leave(self, ending):
        """Ends the process with ending.code; returns only if the normal exit must do it."""
        try:
            if self._finish():
                ending.real_exit(ending.code)
        except BaseException:
            pass

    def _finish(self):
        modules = self.modules
        threading = modules.get("threading")
        if threading is not None:
            threading._shutdown()
        if self.count_threads():
            return False
        self.run_exitfuncs()
        if self.count_threads() or not self._flush_standard_streams() or not self._intact():
            return False
        self._drop_run_modules()
        return self._flush_standard_streams()

    def _intact(self):
        modules = sys.modules
        if modules is not self.modules or self.main is None:
            return False
        if modules.get("__main__") is not self.main():
            return False
        return all(
            modules.get(name) is module
            for name, module in self.preloaded.items()
            if name != "__main__"
        )

    @staticmethod
    def _flush_standard_streams():
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name, None)
            if stream is None or getattr(stream, "closed", False):
                continue
            try:
                stream.flush()
            except Exception:
                return False
        return True

    def _drop_run_modules(self):
        for name in ("stdin", "stdout", "stderr"):
            setattr(sys, name, getattr(sys, "__%s__" % name))
        modules = self.modules
        # A module of the server's bound again under another name leaves that name only.
        server = {id(module) for module in self.preloaded.values()}
        alive = []
        for name in ["__main__"] + [name for name in modules if name not in self.preloaded]:
            module = modules.get(name)
            if isinstance(module, type(sys)) and id(module) not in server:
                alive.append(self.weak(module))
            modules[name] = None
        del module
        for name in list(self.builtins):
            if name not in self.original_builtins:
                del self.builtins[name]
        for name, value in self.original_builtins.items():
            if self.builtins.get(name, self) is not value:
                self.builtins[name] = value
        del value
        kinds = self.kinds
        # Kept open through the collections, where a file could be closed before the buffer
        # above it or before a __del__ that writes to it; then flushed and let go, in the order
        # their references give. A cycle that runs through one of them (a file that refers back to
        # its owner) could not be collected while they were kept: a last collection frees it.
        files = [item for item in self.get_objects() if isinstance(item, kinds)]
        self.collect()
        for reference in reversed(alive):
            module = reference()
            if module is not None:
                _clear_globals(module.__dict__)
            del module
        self._drop_signal_handlers()
        self.collect()
        _flush(files, kinds[:0:-1])
        del files
        self.collect()

    def _drop_signal_handlers(self):
        """What a normal exit does once the modules are gone: the script's signal handlers are let
        go (SIG_DFL in their place), and with them the globals of the module that defined them."""
        for number, before in self.handlers.items():
            handler = self.getsignal(number)
            if handler is not before and callable(handler):
                self.signal(number, self.default)


def _reset_signals():
    """The signals a Python started from a shell has: none blocked, none ignored but SIGPIPE (which
    Python ignores itself), Ctrl-C as KeyboardInterrupt. A child inherits its parent's blocked and
    ignored signals: the JVM's thread that starts it blocks SIGQUIT, and a stepguard started in the
    background (``&``, nohup) ignores SIGINT and SIGHUP."""
    try:
        import _signal as signals
    except ImportError:
        import signal as signals
    mask = getattr(signals, "pthread_sigmask", None)
    if mask is not None:
        mask(signals.SIG_SETMASK, [])
    keep = getattr(signals, "SIGPIPE", None)
    for number in _handled(signals):
        if number != keep and signals.getsignal(number) == signals.SIG_IGN:
            signals.signal(number, signals.SIG_DFL)
    if signals.getsignal(signals.SIGINT) == signals.SIG_DFL:
        signals.signal(signals.SIGINT, signals.default_int_handler)


def _handled(signals):
    """The signals whose handler Python knows: all but those it cannot catch."""
    uncatchable = {getattr(signals, "SIGKILL", None), getattr(signals, "SIGSTOP", None)}
    return [number for number in range(1, signals.NSIG) if number not in uncatchable]


def _flush(files, kinds):
    """Flushes the files left open, text first (into its buffer), then the buffers: one that
    something the server loaded still holds (the script put it there) is never freed here."""
    for kind in kinds:
        for item in files:
            try:
                if type(item) is kind and not item.closed:
                    item.flush()
            except Exception:
                pass


def _clear_globals(names):
    """What a normal exit does to the globals of a module still alive: names that start with one
    underscore become None first, then all others but __builtins__."""
    for key in [k for k, v in names.items() if v is not None and _single_underscore(k)]:
        names[key] = None
    for key in [k for k, v in names.items() if v is not None and k != "__builtins__"]:
        names[key] = None


def _single_underscore(name):
    return isinstance(name, str) and name[:1] == "_" and name[1:2] != "_"


def _script_frames(traceback):
    """The traceback without the bootstrap's own frames, which only confuse the reader."""
    while traceback is not None and traceback.tb_frame.f_code.co_filename == "<stepguard-bootstrap>":
        traceback = traceback.tb_next
    return traceback


def _site(venv):
    """What `site` does at a normal start (site-packages, `.pth` files, a venv named by its python),
    done here, once the process is confined: a `.pth` file runs with the script's rights only."""
    if venv:
        sys.executable = venv
    import site

    site.main()


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


def _warm_arguments():
    """A warm interpreter, started before its run (argument `-`), waits here for the run: a line
    with a byte count, then that many bytes of JSON {"args": [SCRIPT, ...], "env": {...}} on stdin,
    the arguments a cold start gets on its command line and the run's environment. End of input
    before that means the interpreter was never used: it exits without a report."""
    header = b""
    while not header.endswith(b"\n"):
        byte = os.read(0, 1)
        if not byte or len(header) > 20:
            os._exit(0)
        header += byte
    size = int(header)
    body = b""
    while len(body) < size:
        chunk = os.read(0, size - len(body))
        if not chunk:
            os._exit(0)
        body += chunk
    import json

    run = json.loads(body.decode("utf-8"))
    os.environ.clear()
    os.environ.update(run["env"])
    # time read TZ when it was imported, before the run's environment: a cold start reads the run's.
    if hasattr(time, "tzset"):
        time.tzset()
    return [str(arg) for arg in run["args"]]


def _tag_environment(execution_id):
    """A warm child's /proc/PID/environ shows its fork server's environment (os.environ changes
    only what an exec passes on), so stepguard's search for a run's leftovers by their
    STEPGUARD_EXECUTION_ID would miss a process the script forks without exec (a daemon that
    double-forks, then the script crashes). The fork server's environment holds that variable with
    a placeholder of an id's length: its bytes are overwritten in place with the run's id, in the
    memory that /proc shows and that every fork inherits."""
    key = b"STEPGUARD_EXECUTION_ID="
    value = execution_id.encode("ascii", "replace")
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])
        with open("/proc/self/mem", "r+b", buffering=0) as mem:
            mem.seek(start)
            region = mem.read(end - start)
            at = (b"\0" + region).find(b"\0" + key)
            if at < 0:
                return
            value_at = at + len(key)
            placeholder = region[value_at:].split(b"\0", 1)[0]
            if len(placeholder) != len(value) or placeholder.strip(b"0"):
                return
            mem.seek(start + value_at)
            mem.write(value)
    except (OSError, ValueError, IndexError):
        pass


def _main(args, warm=False, quick=None, native=None):
    relative = args[0]
    cpu, memory, fsize, nofile, nproc, run_as, confine = (int(value) for value in args[1:8])
    venv = args[8]
    helpers = args[9:]
    root = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", root)]
    # bubblewrap sets PWD whatever it is given; the environment is stepguard's allowlist only.
    os.environ.pop("PWD", None)
    if native is None:
        native = _Native()
    if warm:
        native.become_dumpable()
        _tag_environment(os.environ.get("STEPGUARD_EXECUTION_ID", ""))
    if confine:
        problem = native.confine()
        if problem is not None:
            _line(b"unconfined", problem)
            os._exit(125)
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
    native.become_subreaper()
    _apply_limits(native, cpu, memory, fsize, nofile, nproc)
    _reset_signals()
    if run_as > 0 and os.getuid() == 0:
        # Started as root (in the sandbox): the script runs as an unprivileged user, after the
        # script was opened and the limits set, so the process limit counts that user.
        os.setgroups([])
        os.setgid(run_as)
        os.setuid(run_as)
    ending = _Ending(os._exit)
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
    if quick is not None:
        quick.watch(main)
    sys.argv[:] = [path]
    try:
        _site(venv)
        sys.path[0:0] = [os.path.dirname(path)] + [
            os.path.normpath(os.path.join(root, helper)) for helper in helpers
        ]
        exec(native.compile_script(source, path), main.__dict__)
    except SystemExit as error:
        ending.code = _exit_code(error)
    except BaseException as error:
        ending.memory_error = isinstance(error, MemoryError)
        frames = _script_frames(error.__traceback__)
        sys.excepthook(type(error), error.with_traceback(frames), frames)
        ending.code = 1
    if quick is not None:
        del main
        quick.leave(ending)
    sys.exit(ending.code)


# What every run imports before the script's first line: the bootstrap's own modules, and standard
# library modules that `site` and common `.pth` files import (only the standard library: nothing of
# site-packages or the project). A warm interpreter loads them while it waits for its run (a fork
# server once, for all its children): a `.pth` file that imports importlib.resources costs a cold
# start tens of milliseconds.
# importlib.resources loads its readers (and itertools helpers) at its first files() call, which a
# `.pth` file that looks up a package's data (certifi.where()) makes on every start.
_PRELOAD = (
    "json", "atexit", "_ctypes", "_sha256", "_sha2", "hashlib", "_signal", "site",
    "pathlib", "importlib.util", "importlib.resources", "importlib.readers",
    "importlib.resources.readers", "importlib.resources._itertools", "tempfile", "shutil",
    "zipfile", "typing", "re", "contextlib", "urllib.parse", "warnings", "weakref", "enum",
)


def _preload():
    """Imports _PRELOAD from the standard library only: never from the working directory (the
    project root), whatever sys.path says. Returns the _Native of every run this interpreter (or,
    in a fork server, each of its children) serves: it depends on nothing of a run."""
    root = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", root)]
    for name in _PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    _warm_dispatch()
    return _Native()


def _warm_dispatch():
    """Fills the dispatch caches of importlib.resources' single-dispatch functions (as_file,
    resolve) for the types a package's files come as: their first call otherwise works out the
    method resolution order, in every run. A cache entry is what that first call would compute
    from the same registry (and is dropped as it would be when an ABC registration changes)."""
    try:
        import pathlib
        import types
        from importlib.resources import _common
    except ImportError:
        return
    kinds = (str, types.ModuleType, type(None), type(pathlib.Path()))
    for value in list(vars(_common).values()):
        if callable(getattr(value, "dispatch", None)) and hasattr(value, "registry"):
            for kind in kinds:
                try:
                    value.dispatch(kind)
                except Exception:
                    pass


if __name__ == "__main__":
    if sys.argv[1:] == ["-"]:
        # A child of the fork server (zygote.py) gets the _Native its server made before the fork
        # (_NATIVE); an interpreter started ahead makes its own while it waits for its run.
        _native = globals().get("_NATIVE") or _preload()
        # A child of the fork server (zygote.py, which defines _FORKED) leaves by _QuickExit.
        quick = _QuickExit() if globals().get("_FORKED") else None
        if quick is not None:
            # The copy-on-write faults of a fork server's child, taken before its run, not in it.
            _native.prefault()
        _main(_warm_arguments(), warm=True, quick=quick, native=_native)
    else:
        _main(sys.argv[1:])
