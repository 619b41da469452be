package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether {@code nobody} (uid and gid 65534, no other groups), whom a sandboxed script runs as when
 * stepguard is root, can reach what the script needs: the project and the script's directories
 * (read and enter), the script (read), the interpreter's own installation, and the host directories
 * on the way to them (enter). Directories the sandbox creates itself are 0755 and not checked.
 * Decided from the mode bits, owner and group; access control lists are not read.
 */
final class NobodyAccess {
  private static final int NOBODY = SandboxProcessLauncher.NOBODY;
  private static final int READ = 4;
  private static final int ENTER = 1;

  private NobodyAccess() {}

  /**
   * What keeps nobody from running {@code script} (relative, already validated) in {@code root}
   * with the interpreter's {@code installations} (those the sandbox mounts besides /usr), with what
   * to change; empty when nothing.
   */
  static Optional<String> problem(Path root, String script, List<Path> installations) {
    List<Need> needs = new ArrayList<>();
    for (Path ancestor : ancestors(root)) {
      if (SandboxCommand.isSystem(ancestor)) {
        needs.add(new Need(ancestor, ENTER, "o+x " + ancestor));
      }
    }
    needs.add(new Need(root, READ | ENTER, "o+rx " + root + ", and o+r for its scripts"));
    Path relative = Path.of(script);
    for (int depth = 1; depth < relative.getNameCount(); depth++) {
      Path directory = root.resolve(relative.subpath(0, depth));
      needs.add(new Need(directory, READ | ENTER, "o+rx " + directory));
    }
    Path file = root.resolve(relative);
    needs.add(new Need(file, READ, "o+r " + file));
    for (Path prefix : installations) {
      needs.add(new Need(prefix, READ | ENTER, "-R o+rX " + prefix));
    }
    for (Need need : needs) {
      Optional<String> problem = need.problem();
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /** Whether a file with this mode, owner and group gives nobody all of {@code bits} (r=4, x=1). */
  static boolean allows(int mode, int uid, int gid, int bits) {
    int shift = uid == NOBODY ? 6 : gid == NOBODY ? 3 : 0;
    return ((mode >> shift) & bits) == bits;
  }

  /** The ancestors of {@code path} below {@code /}, outermost first. */
  private static List<Path> ancestors(Path path) {
    List<Path> ancestors = new ArrayList<>();
    for (Path parent = path.getParent();
        parent != null && parent.getParent() != null;
        parent = parent.getParent()) {
      ancestors.add(0, parent);
    }
    return ancestors;
  }

  /** Nobody needs {@code bits} on {@code path}; {@code chmod} says how to grant them. */
  private record Need(Path path, int bits, String chmod) {
    Optional<String> problem() {
      Map<String, Object> attributes;
      try {
        attributes =
            Files.readAttributes(path, "unix:mode,uid,gid,owner", LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        return Optional.empty();
      }
      int mode = (Integer) attributes.get("mode");
      if (allows(mode, (Integer) attributes.get("uid"), (Integer) attributes.get("gid"), bits)) {
        return Optional.empty();
      }
      return Optional.of(
          String.format(
              "the sandboxed script runs as nobody (uid %d), which cannot %s %s (mode %04o, owner"
                  + " %s): make it %s (chmod %s), run stepguard as an ordinary user, or choose"
                  + " --isolation process",
              NOBODY,
              bits == ENTER ? "enter" : "read",
              path,
              mode & 07777,
              ((UserPrincipal) attributes.get("owner")).getName(),
              bits == ENTER ? "reachable" : "readable",
              chmod));
    }
  }
}
