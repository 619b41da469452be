package dev.stepguard.composition;

import com.fasterxml.jackson.core.JsonLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one project: the operator's, with the project's {@code stepguard.yaml} over them
 * as far as the operator allows. A file the operator trusted applies whole; any other applies only
 * where it tightens, and each key it would loosen is named in a notice.
 */
final class ConfigLoader {
  static final String FILE_NAME = "stepguard.yaml";

  private ConfigLoader() {}

  static ProjectConfig load(Path projectRoot, OperatorConfig operator) {
    outsideProject(operator.file(), projectRoot, "the operator config");
    Settings allowed = operator.settings();
    Optional<ConfigText> read = ConfigText.read(projectRoot.resolve(FILE_NAME), false);
    if (read.isEmpty()) {
      return new ProjectConfig(
          checked(allowed, projectRoot, operator.at(PythonPath.KEY)),
          operator.file(),
          ProjectConfig.Trust.NO_FILE,
          List.of());
    }
    ConfigText text = read.get();
    if (text.content().trusted() != null) {
      throw new ConfigurationException(
          text.at("trusted") + "'trusted' belongs in the operator config, never in a project");
    }
    Settings wanted =
        withOperatorSecrets(SettingsReader.apply(allowed, text, projectRoot), allowed);
    String pythonPathAt =
        text.content().pythonPath() == null ? operator.at(PythonPath.KEY) : text.at(PythonPath.KEY);
    Optional<String> trustedSha256 = operator.trustedSha256(realFile(projectRoot));
    if (trustedSha256.filter(text.sha256()::equals).isPresent()) {
      return new ProjectConfig(
          checked(wanted, projectRoot, pythonPathAt),
          operator.file(),
          ProjectConfig.Trust.TRUSTED,
          List.of());
    }
    ProjectConfig.Trust trust =
        trustedSha256.isPresent() ? ProjectConfig.Trust.CHANGED : ProjectConfig.Trust.UNTRUSTED;
    Loosening.Merged merged = Loosening.merge(allowed, wanted, projectRoot);
    return new ProjectConfig(
        checked(merged.settings(), projectRoot, pythonPathAt),
        operator.file(),
        trust,
        notices(text, merged.refused(), trust, projectRoot, allowed.python()));
  }

  /** The real path of a project's file, the name trust is recorded under. */
  static Path realFile(Path projectRoot) {
    try {
      return projectRoot.toRealPath().resolve(FILE_NAME);
    } catch (IOException e) {
      return projectRoot.toAbsolutePath().normalize().resolve(FILE_NAME);
    }
  }

  /** A project's secret words add to the operator's; they never take one away. */
  private static Settings withOperatorSecrets(Settings project, Settings operator) {
    Set<String> words = new LinkedHashSet<>(operator.history().redact());
    words.addAll(project.history().redact());
    HistoryOptions h = project.history();
    return new Settings(
        project.python(),
        project.pythonPath(),
        project.isolation(),
        project.timeout(),
        project.grace(),
        project.cpuTimeMs(),
        project.baseLimits(),
        project.writable(),
        new HistoryOptions(h.url(), h.credentials(), List.copyOf(words), h.retention(), h.keep()),
        project.maxTimeout(),
        project.envAllow(),
        project.http(),
        project.warm());
  }

  /**
   * Settings no file may hold: a history credentials file that scripts could read, or helper
   * directories that are not directories of the project ({@code pythonPathAt} says where they were
   * set).
   */
  private static Settings checked(Settings settings, Path projectRoot, String pythonPathAt) {
    outsideProject(settings.history().credentials(), projectRoot, "history.credentials");
    PythonPath.check(settings.pythonPath(), projectRoot, pythonPathAt);
    return settings;
  }

  private static void outsideProject(Optional<Path> file, Path projectRoot, String what) {
    if (file.isEmpty()) {
      return;
    }
    Path path = file.get().toAbsolutePath().normalize();
    Path real = path;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      // Not there (yet): its lexical place decides.
    }
    Path root = projectRoot.toAbsolutePath().normalize();
    Path realRoot = realOr(root);
    if (path.startsWith(root) || real.startsWith(realRoot)) {
      throw new ConfigurationException(
          what
              + " "
              + path
              + " lies inside the project "
              + root
              + ", where scripts and commits can read or change it; keep it outside the project");
    }
  }

  private static Path realOr(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }

  private static List<String> notices(
      ConfigText text,
      List<String> refused,
      ProjectConfig.Trust trust,
      Path projectRoot,
      String operatorPython) {
    List<String> keys = new ArrayList<>(new LinkedHashSet<>(refused));
    keys.sort(Comparator.comparing((String key) -> position(text, key)));
    String why =
        trust == ProjectConfig.Trust.CHANGED
            ? "this stepguard.yaml changed since the operator trusted it"
            : "this stepguard.yaml is not trusted";
    List<String> lines = new ArrayList<>();
    for (String key : keys) {
      String shown = text.keys().containsKey(key) ? key : parent(key);
      lines.add(
          text.at(shown)
              + "'"
              + key
              + "' is not applied: it loosens what the operator allows and "
              + why
              + "; review the file, then run 'stepguard trust --project "
              + projectRoot
              + "' to apply it"
              + (key.equals("python") && InterpreterFiles.wrapper(operatorPython)
                  ? "; or, for a venv made from it: the operator's '"
                      + operatorPython
                      + "' is a wrapper script (a pyenv shim?), not the interpreter the venv"
                      + " links to: name that interpreter in the operator config ('stepguard"
                      + " doctor' shows its path) and the venv applies without trust"
                  : ""));
    }
    return lines;
  }

  private static long position(ConfigText text, String key) {
    JsonLocation at = text.keys().getOrDefault(key, text.keys().get(parent(key)));
    return at == null ? Long.MAX_VALUE : ((long) at.getLineNr() << 20) + at.getColumnNr();
  }

  private static String parent(String key) {
    int dot = key.indexOf('.');
    return dot < 0 ? key : key.substring(0, dot);
  }
}
