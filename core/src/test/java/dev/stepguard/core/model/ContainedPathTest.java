package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The walk on a disk held in maps: every answer, and never a look outside the project. */
class ContainedPathTest {
  private static final Path ROOT = Path.of("/proj");

  private final Set<Path> directories = new HashSet<>(Set.of(ROOT, ROOT.resolve("sub")));
  private final Set<Path> files = new HashSet<>(Set.of(ROOT.resolve("sub/a.py")));
  private final Map<Path, Path> links = new HashMap<>();
  private final Set<Path> asked = new HashSet<>();

  private final ContainedPath.Disk disk =
      new ContainedPath.Disk() {
        @Override
        public ContainedPath.Kind kind(Path path) throws IOException {
          asked.add(path);
          if (path.endsWith("locked")) {
            throw new AccessDeniedException(path.toString());
          }
          if (links.containsKey(path)) {
            return ContainedPath.Kind.LINK;
          }
          if (directories.contains(path)) {
            return ContainedPath.Kind.DIRECTORY;
          }
          return files.contains(path) ? ContainedPath.Kind.OTHER : ContainedPath.Kind.MISSING;
        }

        @Override
        public Path readLink(Path link) {
          return links.get(link);
        }
      };

  private ContainedPath.Found walk(String name) {
    return ContainedPath.walk(disk, ROOT, name);
  }

  @Test
  void aPlainPathIsFoundInsideWithoutALink() {
    assertThat(walk("sub/a.py"))
        .isEqualTo(new ContainedPath.Found.Inside(ROOT.resolve("sub/a.py"), false));
    assertThat(walk("/proj/sub/./a.py"))
        .isEqualTo(new ContainedPath.Found.Inside(ROOT.resolve("sub/a.py"), false));
    assertThat(walk("sub/../sub/a.py"))
        .isEqualTo(new ContainedPath.Found.Inside(ROOT.resolve("sub/a.py"), false));
  }

  @Test
  void missingNotADirectoryAndUnreadableAreSaidForPathsInside() {
    assertThat(walk("sub/b.py"))
        .isEqualTo(new ContainedPath.Found.Missing(ROOT.resolve("sub/b.py"), false));
    assertThat(walk("sub/a.py/x"))
        .isEqualTo(new ContainedPath.Found.NotADirectory(ROOT.resolve("sub/a.py"), false));
    assertThat(walk("locked/x")).isInstanceOf(ContainedPath.Found.Unreadable.class);
  }

  @Test
  void linksAreFollowedByTheWalkOnlyWhileTheyStayInside() {
    links.put(ROOT.resolve("rel"), Path.of("sub"));
    links.put(ROOT.resolve("abs"), ROOT.resolve("sub"));
    links.put(ROOT.resolve("root"), Path.of("/"));
    links.put(ROOT.resolve("up"), Path.of("sub/../.."));
    links.put(ROOT.resolve("loop"), Path.of("loop"));

    assertThat(walk("rel/a.py"))
        .isEqualTo(new ContainedPath.Found.Inside(ROOT.resolve("sub/a.py"), true));
    assertThat(walk("abs/a.py"))
        .isEqualTo(new ContainedPath.Found.Inside(ROOT.resolve("sub/a.py"), true));
    assertThat(walk("rel/missing"))
        .isEqualTo(new ContainedPath.Found.Missing(ROOT.resolve("sub/missing"), true));
    assertThat(walk("root/etc/shadow")).isEqualTo(new ContainedPath.Found.Outside(true));
    assertThat(walk("up/etc/shadow")).isEqualTo(new ContainedPath.Found.Outside(true));
    assertThat(walk("loop/x")).isInstanceOf(ContainedPath.Found.Unreadable.class);
    assertThat(walk("../x")).isEqualTo(new ContainedPath.Found.Outside(false));
    assertThat(walk("/etc/shadow")).isEqualTo(new ContainedPath.Found.Outside(false));
    assertThat(asked).isNotEmpty().allMatch(path -> path.startsWith(ROOT));
  }
}
