package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The project directories a sandboxed script may write to: checked here, then bound into the
 * sandbox by what was checked. bwrap {@code --bind} would follow a link that a script swapped in
 * after the check, so the sandbox command is prefixed by {@link #BINDER}: the trusted interpreter
 * opens each directory component by component without following links, verifies it is the checked
 * directory (same device and inode, same path), and hands bwrap the open descriptor ({@code
 * --bind-fd}), which mounts the opened directory itself, whatever its path has become since. The
 * binder also puts bwrap in a session of its own, away from the terminal's signals.
 */
final class WritableDirectories {
  /** Replaces the index after each {@code --bind-fd} with the descriptor of that directory. */
  static final String BINDER =
      """
      import os, sys
      args = sys.argv[1:]
      count = int(args.pop(0))
      fds = []
      def refuse(path, why):
          os.write(2, ('\\n\\x1estepguard-refused v1 the writable directory %s %s\\n'
                       % (path, why)).encode('utf-8', 'replace'))
          sys.exit(125)
      for _ in range(count):
          path, device, inode = args.pop(0), int(args.pop(0)), int(args.pop(0))
          fd = os.open('/', os.O_PATH | os.O_DIRECTORY)
          for name in path.split('/')[1:]:
              try:
                  child = os.open(name, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
              except OSError:
                  refuse(path, 'is no longer a directory reached without symbolic links')
              os.close(fd)
              fd = child
          seen = os.fstat(fd)
          if (seen.st_dev, seen.st_ino) != (device, inode) or os.readlink(
                  '/proc/self/fd/%d' % fd) != path:
              refuse(path, 'was replaced after it was checked')
          os.set_inheritable(fd, True)
          fds.append(fd)
      end = args.index('--')
      for at in range(1, end):
          if args[at - 1] == '--bind-fd':
              args[at] = str(fds[int(args[at])])
      try:
          os.setsid()
      except OSError:
          pass
      os.execv(args[0], args)
      """;

  private WritableDirectories() {}

  /** A checked directory: its real path and the identity of what was there when it was checked. */
  record Directory(Path path, long device, long inode) {}

  /** The checked directories, or the problem with them ({@code problem} non-null). */
  record Checked(List<Directory> directories, String problem) {
    List<Path> paths() {
      return directories.stream().map(Directory::path).toList();
    }
  }

  /**
   * Checks the configured directories: each must be a directory strictly inside the project,
   * reached without symbolic links, outside stepguard's own {@code .stepguard/}, and none may lie
   * inside another (a script writing the outer one could replace the inner one).
   */
  static Checked check(Path root, List<String> names) {
    List<Directory> directories = new ArrayList<>();
    for (String name : names) {
      Path lexical = root.resolve(name).normalize();
      Path real;
      Map<String, Object> identity;
      try {
        real = lexical.toRealPath();
        identity = Files.readAttributes(real, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
      } catch (IOException | UnsupportedOperationException e) {
        return refused("the writable directory '" + name + "' does not exist");
      }
      if (!real.startsWith(root)
          || !real.equals(lexical)
          || !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        return refused(
            "the writable directory '"
                + name
                + "' must be a directory inside the project, reached without symbolic links");
      }
      if (real.equals(root)
          || real.startsWith(root.resolve(FilesystemPathPolicy.PRIVATE_DIRECTORY))) {
        return refused(
            "the writable directory '"
                + name
                + "' must not be the project itself or inside stepguard's own "
                + FilesystemPathPolicy.PRIVATE_DIRECTORY);
      }
      for (Directory other : directories) {
        if (real.startsWith(other.path()) || other.path().startsWith(real)) {
          return refused(
              "the writable directories '"
                  + root.relativize(other.path())
                  + "' and '"
                  + name
                  + "' overlap; list only the outer one");
        }
      }
      directories.add(
          new Directory(
              real,
              ((Number) identity.get("dev")).longValue(),
              ((Number) identity.get("ino")).longValue()));
    }
    return new Checked(List.copyOf(directories), null);
  }

  /**
   * The command that opens the checked directories and then runs {@code sandbox} (bwrap arguments
   * in which {@code --bind-fd} is followed by an index into {@code directories}) in a session of
   * its own, even with no directory to bind: bwrap's outer process must not be in stepguard's
   * process group, or a terminal's Ctrl-C kills it (and with it the script, with no grace period)
   * before stepguard can cancel the run.
   *
   * @param python a trusted interpreter, outside the project and every writable directory
   */
  static List<String> bindThenRun(Path python, List<Directory> directories, List<String> sandbox) {
    List<String> command =
        new ArrayList<>(List.of(python.toString(), "-I", "-S", "-E", "-B", "-c", BINDER));
    command.add(Integer.toString(directories.size()));
    for (Directory directory : directories) {
      command.add(directory.path().toString());
      command.add(Long.toString(directory.device()));
      command.add(Long.toString(directory.inode()));
    }
    command.addAll(sandbox);
    return command;
  }

  private static Checked refused(String problem) {
    return new Checked(List.of(), problem);
  }
}
