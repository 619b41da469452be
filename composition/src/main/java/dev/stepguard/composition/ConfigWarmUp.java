package dev.stepguard.composition;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads, once, on a daemon thread of its own, a sample configuration that nothing applies: the
 * command line's first real read then finds Jackson's YAML parser and the deserializers of every
 * section built (about 0.1 s of class loading) instead of building them in front of the script's
 * start. Touches no file; a failure only leaves the work to the real read.
 */
final class ConfigWarmUp {
  /** One key of every section, so that each section's deserializer is built. */
  static final byte[] SAMPLE =
      String.join(
              "\n",
              "python: python3",
              "pythonPath: [lib]",
              "isolation: auto",
              "timeout: 30s",
              "grace: 2s",
              "maxTimeout: 5m",
              "limits:",
              "  memory: 512m",
              "  openFiles: 64",
              "  jsonDepth: 64",
              "sandbox:",
              "  writable: [out]",
              "history:",
              "  redact: [token]",
              "  keep: 10",
              "env:",
              "  allow: [LANG]",
              "http:",
              "  port: 8080",
              "warm:",
              "  enabled: true",
              "trusted:",
              "  stepguard.yaml: sha256",
              "")
          .getBytes(StandardCharsets.UTF_8);

  private ConfigWarmUp() {}

  /** Starts the warm-up and returns its thread. */
  static Thread start() {
    Thread thread = new Thread(ConfigWarmUp::run, "stepguard-config-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The warm-up itself; true if the sample was read to its end. */
  static boolean run() {
    try {
      ConfigText.parse(Path.of("warm-up.yaml"), SAMPLE);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
