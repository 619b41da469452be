package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where this host lets stepguard make a cgroup per run, read from /proc/self/cgroup and
 * /proc/self/mountinfo: for the memory and for the pids controller, stepguard's own cgroup, if it
 * is writable; on cgroup v2 only if its {@code cgroup.subtree_control} already hands the controller
 * down (stepguard never reorganises the hierarchy).
 *
 * @param memory where the memory controller's run cgroups go, or empty
 * @param pids where the pids controller's run cgroups go, or empty
 */
record CgroupHost(Optional<CgroupHost.Parent> memory, Optional<CgroupHost.Parent> pids) {
  /** stepguard's own cgroup in one hierarchy; {@code unified} for cgroup v2. */
  record Parent(Path directory, boolean unified) {}

  static final CgroupHost NONE = new CgroupHost(Optional.empty(), Optional.empty());

  private static final Pattern ESCAPE = Pattern.compile("\\\\([0-7]{3})");

  /** This process's host, as the kernel shows it now. */
  static CgroupHost current() {
    try {
      return of(
          Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8),
          Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
  }

  /** The host that these lines of /proc/self/cgroup and /proc/self/mountinfo describe. */
  static CgroupHost of(List<String> cgroups, List<String> mounts) {
    Map<String, String> v1 = new HashMap<>();
    String v2 = null;
    for (String line : cgroups) {
      String[] parts = line.split(":", 3);
      if (parts.length < 3) {
        continue;
      }
      if ("0".equals(parts[0]) && parts[1].isEmpty()) {
        v2 = parts[2];
      }
      for (String controller : parts[1].split(",")) {
        v1.put(controller, parts[2]);
      }
    }
    Path unified = null;
    Map<String, Path> legacy = new HashMap<>();
    for (String line : mounts) {
      int separator = line.indexOf(" - ");
      if (separator < 0) {
        continue;
      }
      String[] mount = line.substring(0, separator).split(" ");
      String[] source = line.substring(separator + 3).split(" ");
      if (mount.length < 5 || source.length < 3) {
        continue;
      }
      Path point = Path.of(unescape(mount[4]));
      String root = unescape(mount[3]);
      if ("cgroup2".equals(source[0]) && v2 != null && unified == null) {
        unified = inside(point, root, v2);
      } else if ("cgroup".equals(source[0])) {
        Set<String> options = Set.of(source[2].split(","));
        for (String controller : List.of("memory", "pids")) {
          if (options.contains(controller) && v1.containsKey(controller)) {
            legacy.putIfAbsent(controller, inside(point, root, v1.get(controller)));
          }
        }
      }
    }
    return new CgroupHost(
        parent("memory", unified, legacy.get("memory")),
        parent("pids", unified, legacy.get("pids")));
  }

  private static Optional<Parent> parent(String controller, Path unified, Path legacy) {
    if (unified != null && writable(unified) && delegates(unified, controller)) {
      return Optional.of(new Parent(unified, true));
    }
    if (legacy != null && writable(legacy)) {
      return Optional.of(new Parent(legacy, false));
    }
    return Optional.empty();
  }

  private static boolean writable(Path directory) {
    return Files.isDirectory(directory)
        && Files.isWritable(directory)
        && Files.isWritable(directory.resolve("cgroup.procs"));
  }

  private static boolean delegates(Path directory, String controller) {
    try {
      String enabled =
          Files.readString(directory.resolve("cgroup.subtree_control"), StandardCharsets.UTF_8);
      return Set.of(enabled.strip().split("\\s+")).contains(controller);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Where {@code cgroup} is on disk, for a hierarchy mounted at {@code point} from {@code root}.
   */
  private static Path inside(Path point, String root, String cgroup) {
    if (!cgroup.startsWith("/") || cgroup.contains("/..")) {
      return null;
    }
    if ("/".equals(root)) {
      return point.resolve(cgroup.substring(1));
    }
    if (cgroup.equals(root)) {
      return point;
    }
    return cgroup.startsWith(root + "/")
        ? point.resolve(cgroup.substring(root.length() + 1))
        : null;
  }

  /** mountinfo writes a space, tab, newline or backslash in a path as three octal digits. */
  private static String unescape(String field) {
    Matcher escape = ESCAPE.matcher(field);
    StringBuilder plain = new StringBuilder();
    while (escape.find()) {
      char c = (char) Integer.parseInt(escape.group(1), 8);
      escape.appendReplacement(plain, Matcher.quoteReplacement(String.valueOf(c)));
    }
    return escape.appendTail(plain).toString();
  }
}
