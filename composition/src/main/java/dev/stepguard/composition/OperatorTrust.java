package dev.stepguard.composition;

import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator vouches for the exact content of a project's {@code stepguard.yaml}, recorded by
 * real path and SHA-256 in the operator config, so that what it loosens applies too; any edit
 * withdraws the trust.
 */
public final class OperatorTrust {
  private final OperatorConfigLocation location;

  @Inject
  OperatorTrust(OperatorConfigLocation location) {
    this.location = Objects.requireNonNull(location, "location");
  }

  /**
   * What one call changed.
   *
   * @param projectFile the real path of the project's file, the name trust is recorded under
   * @param sha256 the content now trusted, or empty when trust was withdrawn
   * @param recordedIn the operator config's path, as text
   * @param nowApplied the keys that apply only because of the trust, in file order
   */
  public record Change(
      Path projectFile, Optional<String> sha256, String recordedIn, List<String> nowApplied) {
    /** Checks that every part is given; copies the keys. */
    public Change {
      Objects.requireNonNull(projectFile, "projectFile");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(recordedIn, "recordedIn");
      nowApplied = List.copyOf(Objects.requireNonNull(nowApplied, "nowApplied"));
    }
  }

  /**
   * Trusts the current content of the project's file, once it has been checked as a whole.
   *
   * @throws ConfigurationException if there is no file, it is invalid, or there is no operator
   *     config to record trust in
   */
  public Change trust(Path project) {
    Path root = project.toAbsolutePath().normalize();
    Path real = ConfigLoader.realFile(root);
    OperatorConfig operator = location.load();
    ConfigText text =
        ConfigText.read(root.resolve(ConfigLoader.FILE_NAME), false)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "there is no " + ConfigLoader.FILE_NAME + " in " + root));
    Settings allowed = operator.settings();
    List<String> loosening =
        Loosening.merge(allowed, SettingsReader.apply(allowed, text, root), root).refused();
    ConfigLoader.load(root, operator);
    operator.setTrust(real, text.sha256());
    return new Change(real, Optional.of(text.sha256()), recordedIn(operator), loosening);
  }

  /**
   * Withdraws the trust in the project's file, if there was any.
   *
   * @throws ConfigurationException if there is no operator config to record it in
   */
  public Change revoke(Path project) {
    Path real = ConfigLoader.realFile(project.toAbsolutePath().normalize());
    OperatorConfig operator = location.load();
    operator.setTrust(real, null);
    return new Change(real, Optional.empty(), recordedIn(operator), List.of());
  }

  private static String recordedIn(OperatorConfig operator) {
    return operator.file().map(Path::toString).orElse("the operator config");
  }
}
