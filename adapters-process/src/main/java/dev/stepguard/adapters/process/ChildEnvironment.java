package dev.stepguard.adapters.process;

import dev.stepguard.core.port.Launch;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The allowlisted environment of a script: never the host program's own. */
final class ChildEnvironment {
  static final String SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

  private ChildEnvironment() {}

  /**
   * A process builder for {@code command} that starts in the project root with only this
   * environment.
   */
  static ProcessBuilder builder(
      List<String> command, Launch launch, Path python, Path home, Map<String, String> host) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(launch.projectRoot().toFile());
    builder.environment().clear();
    builder.environment().putAll(of(launch, python, home, launch.projectRoot(), host));
    return builder;
  }

  static Map<String, String> of(
      Launch launch, Path python, Path home, Path projectRoot, Map<String, String> host) {
    Map<String, String> env = new HashMap<>(launch.env());
    Path pythonDirectory = python.getParent();
    env.put("PATH", pythonDirectory == null ? SYSTEM_PATH : pythonDirectory + ":" + SYSTEM_PATH);
    env.put("LANG", host.getOrDefault("LANG", "C.UTF-8"));
    if (host.containsKey("LC_ALL")) {
      env.put("LC_ALL", host.get("LC_ALL"));
    }
    env.put("HOME", home.toString());
    env.put("PYTHONIOENCODING", "utf-8");
    env.put("PYTHONUNBUFFERED", "1");
    env.put("STEPGUARD_EXECUTION_ID", launch.id().value());
    env.put("STEPGUARD_PROJECT_ROOT", projectRoot.toString());
    return env;
  }
}
