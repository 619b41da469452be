package dev.stepguard.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which host environment variables a step may name in {@code env}. A few are never passed, whoever
 * allows them: they change how the loader, the C library or Python start, or they are stepguard's
 * own ({@code PATH}, {@code HOME}, {@code LANG}, {@code STEPGUARD_*}).
 */
public final class EnvironmentNames {
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final List<String> RESERVED_PREFIXES =
      List.of("LD_", "PYTHON", "STEPGUARD_", "MALLOC_", "LC_");
  private static final List<String> RESERVED =
      List.of("PATH", "HOME", "LANG", "GLIBC_TUNABLES", "GCONV_PATH", "LOCPATH", "NLSPATH");

  private EnvironmentNames() {}

  /** Why {@code name} can never be passed to a script, or empty when an operator may allow it. */
  public static Optional<String> problemWith(String name) {
    if (!SHAPE.matcher(name).matches()) {
      return Optional.of("'" + name + "' is not a valid environment variable name");
    }
    String upper = name.toUpperCase(Locale.ROOT);
    if (RESERVED.contains(upper) || RESERVED_PREFIXES.stream().anyMatch(upper::startsWith)) {
      return Optional.of(
          "'"
              + name
              + "' is never passed to scripts: LD_*, PYTHON*, MALLOC_*, LC_*, STEPGUARD_*, PATH,"
              + " HOME, LANG, GLIBC_TUNABLES, GCONV_PATH, LOCPATH and NLSPATH change how the"
              + " interpreter starts or are stepguard's own");
    }
    return Optional.empty();
  }
}
