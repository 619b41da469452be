package dev.stepguard.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${...}} references of workflow files: {@code ${inputs.NAME}} and {@code
 * ${steps.ID.output.FIELD...}}. A string that is exactly one reference becomes the referenced JSON
 * value, whatever its type; a reference inside a longer string is replaced by its text.
 */
final class References {
  static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  static final String NAME = "[A-Za-z_][A-Za-z0-9_-]*";
  private static final Pattern NAME_ONLY = Pattern.compile(NAME);

  private References() {}

  /** A parsed reference. */
  sealed interface Reference {
    record Input(String name) implements Reference {}

    record StepOutput(String step, List<String> fields) implements Reference {}
  }

  /** The reference that {@code text} (the inside of {@code ${...}}) names, or empty. */
  static Optional<Reference> parse(String text) {
    String[] parts = text.strip().split("\\.", -1);
    for (String part : parts) {
      if (!NAME_ONLY.matcher(part).matches()) {
        return Optional.empty();
      }
    }
    if (parts.length == 2 && parts[0].equals("inputs")) {
      return Optional.of(new Reference.Input(parts[1]));
    }
    if (parts.length >= 3 && parts[0].equals("steps") && parts[2].equals("output")) {
      return Optional.of(
          new Reference.StepOutput(
              parts[1], List.copyOf(Arrays.asList(parts).subList(3, parts.length))));
    }
    return Optional.empty();
  }

  /** The insides of every {@code ${...}} in the strings of {@code node}, in order. */
  static List<String> all(JsonNode node) {
    List<String> found = new ArrayList<>();
    collect(node, found);
    return found;
  }

  private static void collect(JsonNode node, List<String> found) {
    if (node.isTextual()) {
      Matcher matcher = REFERENCE.matcher(node.asText());
      while (matcher.find()) {
        found.add(matcher.group(1));
      }
    } else {
      node.forEach(child -> collect(child, found));
    }
  }

  /**
   * {@code template} with every reference replaced by what {@code lookup} gives for it.
   *
   * @throws IllegalArgumentException when a reference cannot be resolved; the message says which
   */
  static JsonNode resolve(JsonNode template, Function<Reference, JsonNode> lookup) {
    if (template.isTextual()) {
      return text(template.asText(), lookup);
    }
    if (template.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      template.forEach(item -> copy.add(resolve(item, lookup)));
      return copy;
    }
    if (template.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : template.properties()) {
        copy.set(field.getKey(), resolve(field.getValue(), lookup));
      }
      return copy;
    }
    return template;
  }

  private static JsonNode text(String text, Function<Reference, JsonNode> lookup) {
    Matcher matcher = REFERENCE.matcher(text);
    if (matcher.matches()) {
      return value(matcher.group(1), lookup);
    }
    StringBuilder out = new StringBuilder();
    int last = 0;
    matcher.reset();
    while (matcher.find()) {
      out.append(text, last, matcher.start());
      JsonNode value = value(matcher.group(1), lookup);
      out.append(value.isTextual() ? value.asText() : value.toString());
      last = matcher.end();
    }
    if (last == 0) {
      return JsonNodeFactory.instance.textNode(text);
    }
    out.append(text.substring(last));
    return JsonNodeFactory.instance.textNode(out.toString());
  }

  private static JsonNode value(String inside, Function<Reference, JsonNode> lookup) {
    Reference reference =
        parse(inside)
            .orElseThrow(
                () -> new IllegalArgumentException("'${" + inside + "}' is not a reference"));
    JsonNode value = lookup.apply(reference);
    if (value == null || value.isMissingNode()) {
      throw new IllegalArgumentException("'${" + inside + "}' has no value");
    }
    return value;
  }
}
