package dev.stepguard.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The floors the figures are held against, measured in the same run: a bare JVM that prints a line
 * (started with the command line's JVM flags) and a bare cold {@code python3 -I hello.py}.
 */
record Floors(Samples jvmHello, Samples pythonHello) {
  static final String HELLO_INPUT = "{\"name\": \"Ada\"}";

  /** The JVM flags of the {@code ./stepguard} launcher, without its class data archive. */
  static final List<String> JVM_FLAGS = launcherFlags();

  /** Huge pages are asked for as the launcher asks: where the kernel gives them on request. */
  private static List<String> launcherFlags() {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "-XX:TieredStopAtLevel=1",
                "-XX:CICompilerCount=1",
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData"));
    try {
      if (Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
          .contains("[madvise]")) {
        flags.add("-XX:+UseTransparentHugePages");
      }
    } catch (IOException | RuntimeException noSuchSetting) {
      // a kernel without them: the launcher does not ask either
    }
    return List.copyOf(flags);
  }

  static Floors measure(Path project, String python, int runs)
      throws IOException, InterruptedException {
    return new Floors(
        jvmHello(project).sample(3, runs), pythonHello(project, python).sample(3, runs));
  }

  /** A JVM that prints one line, started with the launcher's flags. */
  static Command jvmHello(Path project) {
    List<String> jvm = new ArrayList<>(List.of(java()));
    jvm.addAll(JVM_FLAGS);
    jvm.addAll(List.of("-cp", location(JvmHello.class), JvmHello.class.getName()));
    return new Command(jvm, project, Map.of(), new byte[0]);
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String location(Class<?> type) {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
  }

  /** A cold {@code python -I hello.py} in {@code project}, which holds the hello example. */
  static Command pythonHello(Path project, String python) {
    return new Command(
        List.of(python, "-I", "hello.py"),
        project,
        Map.of(),
        HELLO_INPUT.getBytes(StandardCharsets.UTF_8));
  }

  /** The floor of a command-line run: a bare JVM plus a bare Python, p50 in ms. */
  double cliMs() {
    return jvmHello.percentileMs(50) + pythonHello.percentileMs(50);
  }

  /** A cold {@code python3 -I hello.py}, p50 in ms. */
  double coldPythonMs() {
    return pythonHello.percentileMs(50);
  }
}
