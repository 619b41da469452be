package dev.stepguard.core.workflow;

import dev.stepguard.core.workflow.WorkflowParser.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the plain fields of one workflow file, noting each problem at its place. */
final class FieldReader {
  /** Names of inputs, steps and paths. */
  static final Pattern NAME = Pattern.compile(References.NAME);

  /**
   * The longest workflow name and step id, in characters: what the history's columns hold. A longer
   * one failed the history's write after steps had run, leaving the run unrecorded or RUNNING.
   */
  static final int MAX_NAME = 256;

  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  FieldReader(String file) {
    this.file = file;
  }

  List<Problem> problems() {
    return problems;
  }

  void problem(YamlTree.At at, String message) {
    problems.add(new Problem(file, at.line(), at.column(), message));
  }

  void keys(YamlTree.Mapping mapping, Set<String> known, String what) {
    for (YamlTree.Entry entry : mapping.entries().values()) {
      if (!known.contains(entry.key())) {
        problem(
            entry.keyAt(),
            "unknown key '"
                + entry.key()
                + "' in the "
                + what
                + "; known keys: "
                + known.stream().sorted().toList());
      }
    }
  }

  boolean mapping(YamlTree.Node node, String what) {
    if (node instanceof YamlTree.Mapping) {
      return true;
    }
    problem(node.at(), what + " must be a mapping of keys to values");
    return false;
  }

  Optional<String> text(YamlTree.Mapping mapping, String key) {
    YamlTree.Entry entry = mapping.entries().get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!(entry.value() instanceof YamlTree.Scalar)
        || !entry.value().json().isValueNode()
        || entry.value().json().isNull()) {
      problem(entry.value().at(), "'" + key + "' must be a single value");
      return Optional.empty();
    }
    return Optional.of(entry.value().json().asText());
  }

  YamlTree.At valueAt(YamlTree.Mapping mapping, String key) {
    return mapping.entries().get(key).value().at();
  }

  List<String> names(YamlTree.Entry entry, String what, Pattern pattern) {
    if (entry == null) {
      return List.of();
    }
    if (!(entry.value() instanceof YamlTree.Sequence listed)) {
      problem(entry.value().at(), "'" + entry.key() + "' must be a list of names");
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (YamlTree.Node item : listed.items()) {
      String name = item.json().asText();
      if (!(item instanceof YamlTree.Scalar) || !pattern.matcher(name).matches()) {
        problem(item.at(), "'" + name + "' is not a valid " + what + " name");
      } else if (names.contains(name)) {
        problem(item.at(), "'" + name + "' is listed twice");
      } else {
        names.add(name);
      }
    }
    return names;
  }
}
