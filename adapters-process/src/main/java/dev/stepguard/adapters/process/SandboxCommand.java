package dev.stepguard.adapters.process;

import dev.stepguard.core.port.Launch;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bubblewrap part of a sandboxed launch: new PID, network, IPC and UTS namespaces; the system
 * directories and the interpreter read-only; a private size-capped /tmp that is also HOME, and
 * /dev/shm; the project read-only at its own path with {@code .stepguard/} hidden; nothing else of
 * the host.
 */
final class SandboxCommand {
  /** Where the script's HOME is inside the sandbox: the private /tmp. */
  static final Path HOME = Path.of("/tmp");

  /** POSIX semaphores and shared memory (multiprocessing's locks and queues) live here. */
  private static final Path SHARED_MEMORY = Path.of("/dev/shm");

  /** The system's own installation, always mounted read-only. */
  private static final Path SYSTEM_PREFIX = Path.of("/usr");

  private static final List<String> SYSTEM = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64");

  /**
   * What a data script needs of /etc: the loader's cache, the time zone, the libraries Debian
   * chooses through alternatives (BLAS for numpy), the certificates, the MIME table. Never the
   * host's accounts (passwd, group, shadow) or its network and Python site configuration.
   */
  private static final List<String> SYSTEM_FILES =
      List.of(
          "/etc/ld.so.cache",
          "/etc/localtime",
          "/etc/timezone",
          "/etc/alternatives",
          "/etc/ssl",
          "/etc/mime.types");

  private SandboxCommand() {}

  /**
   * The bwrap arguments, up to and including {@code --}.
   *
   * @param writable checked directories the script may write to, bound by their index (see {@link
   *     WritableDirectories#bindThenRun}), never by their path
   */
  static List<String> of(
      Path bwrap, PythonLocator.Discovery.Found python, Launch launch, List<Path> writable) {
    List<String> args = new ArrayList<>();
    args.add(bwrap.toString());
    args.addAll(
        List.of(
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent",
            "--new-session",
            "--ro-bind",
            "/usr",
            "/usr"));
    for (String directory : SYSTEM) {
      Path path = Path.of(directory);
      if (Files.isSymbolicLink(path)) {
        args.addAll(List.of("--symlink", readLink(path), directory));
      } else if (Files.isDirectory(path)) {
        args.addAll(List.of("--ro-bind", directory, directory));
      }
    }
    args.addAll(List.of("--perms", "0755", "--dir", "/etc"));
    for (String file : SYSTEM_FILES) {
      args.addAll(List.of("--ro-bind-try", file, file));
    }
    for (Path prefix : installations(python, launch.projectRoot())) {
      addParents(args, prefix);
      args.addAll(List.of("--ro-bind", prefix.toString(), prefix.toString()));
    }
    args.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    addSharedTmpfs(args, SHARED_MEMORY, launch.limits().tmpBytes());
    addSharedTmpfs(args, HOME, launch.limits().tmpBytes());
    Path root = launch.projectRoot();
    addParents(args, root);
    args.addAll(List.of("--ro-bind", root.toString(), root.toString()));
    for (int index = 0; index < writable.size(); index++) {
      String directory = writable.get(index).toString();
      args.addAll(List.of("--bind-fd", Integer.toString(index), directory));
    }
    Path hidden = root.resolve(FilesystemPathPolicy.PRIVATE_DIRECTORY);
    if (Files.isDirectory(hidden, LinkOption.NOFOLLOW_LINKS)) {
      args.addAll(List.of("--perms", "0000", "--tmpfs", hidden.toString()));
    }
    args.addAll(List.of("--chdir", root.toString(), "--"));
    return args;
  }

  /** Whether {@code process} belongs to the script rather than to bubblewrap itself. */
  static boolean isScriptProcess(ProcessHandle process) {
    return process.info().command().map(command -> !command.endsWith("/bwrap")).orElse(true);
  }

  /** Whether {@code path} is inside the system's installation, which the sandbox shows as is. */
  static boolean isSystem(Path path) {
    return path.startsWith(SYSTEM_PREFIX);
  }

  /**
   * What to mount for the interpreter besides /usr: the real executable's installation, and a
   * venv's own directory unless it lies in the project, which is mounted anyway.
   */
  static List<Path> installations(PythonLocator.Discovery.Found python, Path projectRoot) {
    List<Path> prefixes = new ArrayList<>();
    for (Path executable : List.of(python.executable(), python.argv0())) {
      Path prefix = interpreterPrefix(executable);
      if (!isSystem(prefix) && !prefix.startsWith(projectRoot) && !prefixes.contains(prefix)) {
        prefixes.add(prefix);
      }
    }
    return List.copyOf(prefixes);
  }

  /** The installation the interpreter belongs to: {@code /x/bin/python3} gives {@code /x}. */
  static Path interpreterPrefix(Path python) {
    Path bin = python.getParent();
    Path prefix = bin == null ? null : bin.getParent();
    return prefix == null ? SYSTEM_PREFIX : prefix;
  }

  /** A size-capped tmpfs that every user may write to, as /tmp and /dev/shm are on a host. */
  private static void addSharedTmpfs(List<String> args, Path path, long bytes) {
    args.addAll(
        List.of("--perms", "1777", "--size", Long.toString(bytes), "--tmpfs", path.toString()));
  }

  /** bwrap creates missing parents of a mount point 0700; make them 0755 so others can pass. */
  private static void addParents(List<String> args, Path path) {
    Path parent = path.getParent();
    List<Path> parents = new ArrayList<>();
    while (parent != null && parent.getParent() != null) {
      parents.add(0, parent);
      parent = parent.getParent();
    }
    for (Path directory : parents) {
      if (!directory.equals(HOME) && !isSystem(directory)) {
        args.addAll(List.of("--perms", "0755", "--dir", directory.toString()));
      }
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (java.io.IOException e) {
      return link.toString();
    }
  }
}
