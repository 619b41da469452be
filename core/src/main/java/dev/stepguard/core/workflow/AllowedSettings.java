package dev.stepguard.core.workflow;

import dev.stepguard.core.model.EnvironmentNames;
import dev.stepguard.core.model.LimitOverrides;
import dev.stepguard.core.model.LimitValues;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Quantities;
import dev.stepguard.core.model.WorkflowAllowance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a section's timeout, limits and env into typed values, refusing what is not allowed. */
final class AllowedSettings {
  private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final FieldReader fields;
  private final WorkflowAllowance allowance;

  AllowedSettings(FieldReader fields, WorkflowAllowance allowance) {
    this.fields = fields;
    this.allowance = allowance;
  }

  Optional<Duration> timeout(YamlTree.Mapping section) {
    Optional<String> text = fields.text(section, "timeout");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      Duration timeout = Quantities.duration(text.get());
      if (timeout.compareTo(allowance.maxTimeout()) > 0) {
        fields.problem(
            fields.valueAt(section, "timeout"),
            "the timeout "
                + text.get()
                + " is over the maximum of "
                + allowance.maxTimeout().toSeconds()
                + "s (maxTimeout, which the operator sets)");
        return Optional.empty();
      }
      return Optional.of(timeout);
    } catch (IllegalArgumentException | ArithmeticException e) {
      fields.problem(fields.valueAt(section, "timeout"), e.getMessage());
      return Optional.empty();
    }
  }

  LimitValues limits(YamlTree.Mapping section) {
    YamlTree.Entry entry = section.entries().get("limits");
    if (entry == null || !fields.mapping(entry.value(), "'limits'")) {
      return LimitValues.NONE;
    }
    Map<String, Long> limits = new LinkedHashMap<>();
    for (YamlTree.Entry limit : ((YamlTree.Mapping) entry.value()).entries().values()) {
      YamlTree.At at =
          LimitOverrides.NAMES.contains(limit.key()) ? limit.value().at() : limit.keyAt();
      if (!(limit.value() instanceof YamlTree.Scalar)) {
        fields.problem(at, "the limit " + limit.key() + " needs a single value");
        continue;
      }
      String value = limit.value().json().asText();
      try {
        long parsed = LimitOverrides.parse(limit.key(), value.strip());
        Optional<String> over = overCeiling(limit.key(), value, parsed);
        if (over.isPresent()) {
          fields.problem(at, over.get());
        } else {
          limits.put(limit.key(), parsed);
        }
      } catch (IllegalArgumentException | ArithmeticException e) {
        fields.problem(at, e.getMessage());
      }
    }
    return new LimitValues(limits);
  }

  /** Why a limit asks for more than the operator allows, or empty. */
  private Optional<String> overCeiling(String name, String value, long parsed) {
    Limits ceiling = allowance.ceiling();
    Limits wanted = new LimitValues(Map.of(name, parsed)).over(ceiling);
    if (LimitOverrides.above(wanted, ceiling).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "the limit "
            + name
            + ": "
            + value
            + " is more than the operator allows; a step may only ask for less (limits in the"
            + " operator config or a trusted stepguard.yaml raise it)");
  }

  /** The {@code env} names of a section: valid, never reserved, and allowed by the operator. */
  List<String> env(YamlTree.Mapping section) {
    YamlTree.Entry entry = section.entries().get("env");
    List<String> names = fields.names(entry, "environment variable", ENV);
    if (entry == null || !(entry.value() instanceof YamlTree.Sequence listed)) {
      return names;
    }
    List<String> allowed = new ArrayList<>();
    for (YamlTree.Node item : listed.items()) {
      String name = item.json().asText();
      if (!names.contains(name) || allowed.contains(name)) {
        continue;
      }
      Optional<String> reserved = EnvironmentNames.problemWith(name);
      if (reserved.isPresent()) {
        fields.problem(item.at(), reserved.get());
      } else if (!allowance.env().contains(name)) {
        fields.problem(
            item.at(),
            "'"
                + name
                + "' is not an environment variable the operator allows; add it to env.allow"
                + " in the operator config to pass it");
      } else {
        allowed.add(name);
      }
    }
    return allowed;
  }
}
