package dev.stepguard.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** The benchmarks' scratch directories and files, removed when a measurement ends. */
final class Scratch {
  /** What {@link #directory} and {@link #file} made, removed when this JVM exits. */
  private static final List<Path> MADE = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Scratch::deleteMade, "scratch-removal"));
  }

  private Scratch() {}

  /** A new temporary directory whose name starts {@code prefix}, removed at this JVM's exit. */
  static Path directory(String prefix) throws IOException {
    Path directory = Files.createTempDirectory(prefix);
    MADE.add(directory);
    return directory;
  }

  /** A new temporary file named {@code prefix}...{@code suffix}, removed at this JVM's exit. */
  static Path file(String prefix, String suffix) throws IOException {
    Path file = Files.createTempFile(prefix, suffix);
    MADE.add(file);
    return file;
  }

  /** Removes {@code tree} and everything in it (links are removed, never followed). */
  static void delete(Path tree) throws IOException {
    if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void deleteMade() {
    for (Path path : MADE) {
      try {
        delete(path);
      } catch (IOException | UncheckedIOException e) {
        System.err.println("could not remove the scratch " + path + ": " + e);
      }
    }
  }
}
