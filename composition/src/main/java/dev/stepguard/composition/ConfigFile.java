package dev.stepguard.composition;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepguard.core.model.LimitOverrides;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of {@code stepguard.yaml} and of the operator config; every key is optional, unknown
 * keys are errors. {@code trusted} belongs to the operator config only.
 */
record ConfigFile(
    @JsonProperty("python") String python,
    @JsonProperty("pythonPath") List<String> pythonPath,
    @JsonProperty("isolation") String isolation,
    @JsonProperty("timeout") String timeout,
    @JsonProperty("grace") String grace,
    @JsonProperty("limits") LimitsSection limits,
    @JsonProperty("sandbox") SandboxSection sandbox,
    @JsonProperty("history") HistorySection history,
    @JsonProperty("maxTimeout") String maxTimeout,
    @JsonProperty("env") EnvSection env,
    @JsonProperty("http") HttpSection http,
    @JsonProperty("warm") WarmSection warm,
    @JsonProperty("trusted") Map<String, String> trusted) {

  /**
   * The {@code history:} section: a JDBC URL and its credentials file instead of the project's H2
   * file, secret key names, and the retention {@code history prune} applies.
   */
  record HistorySection(
      @JsonProperty("url") String url,
      @JsonProperty("credentials") String credentials,
      @JsonProperty("redact") List<String> redact,
      @JsonProperty("retention") String retention,
      @JsonProperty("keep") Integer keep) {}

  /** The {@code sandbox:} section: project directories that sandboxed scripts may write to. */
  record SandboxSection(@JsonProperty("writable") List<String> writable) {}

  /** The {@code http:} section: how {@code stepguard-server} listens and how many runs it takes. */
  record HttpSection(
      @JsonProperty("bind") String bind,
      @JsonProperty("port") Integer port,
      @JsonProperty("slots") Integer slots,
      @JsonProperty("queue") Integer queue,
      @JsonProperty("drain") String drain) {}

  /** The {@code warm:} section: warm interpreters for {@code process} isolation. */
  record WarmSection(
      @JsonProperty("enabled") Boolean enabled, @JsonProperty("pool") Integer pool) {}

  /** The {@code env:} section: host variables that workflow steps may name in {@code env}. */
  record EnvSection(@JsonProperty("allow") List<String> allow) {}

  /** The {@code limits:} section. Sizes accept {@code 64MiB}-style text. */
  record LimitsSection(
      @JsonProperty("cpuTime") String cpuTime,
      @JsonProperty("memory") String memory,
      @JsonProperty("fileSize") String fileSize,
      @JsonProperty("openFiles") Long openFiles,
      @JsonProperty("processes") Long processes,
      @JsonProperty("stdout") String stdout,
      @JsonProperty("stderrTail") String stderrTail,
      @JsonProperty("input") String input,
      @JsonProperty("jsonDepth") Integer jsonDepth,
      @JsonProperty("tmp") String tmp) {

    /**
     * The limits this section sets, by name, for {@link LimitOverrides}; the CPU limit is not among
     * them because without it the CPU limit follows each run's timeout.
     */
    Map<String, String> overrides() {
      Map<String, String> set = new LinkedHashMap<>();
      put(set, "memory", memory);
      put(set, "fileSize", fileSize);
      put(set, "openFiles", openFiles);
      put(set, "processes", processes);
      put(set, "stdout", stdout);
      put(set, "stderrTail", stderrTail);
      put(set, "input", input);
      put(set, "jsonDepth", jsonDepth);
      put(set, "tmp", tmp);
      return set;
    }

    private static void put(Map<String, String> set, String name, Object value) {
      if (value != null) {
        set.put(name, String.valueOf(value));
      }
    }
  }
}
