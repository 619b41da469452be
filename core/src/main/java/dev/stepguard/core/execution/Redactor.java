package dev.stepguard.core.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.WorkflowRun;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Hides secrets before a record is stored, first by name, then by value. By name: the value of
 * every key, at any depth of the inputs and the output, whose name contains one of the configured
 * words; names are compared without case, {@code -} or {@code _}, so {@code api_key} also catches
 * {@code apiKey} and {@code X-API-KEY}. By value: every value seen under such a name (and every
 * value the caller says is secret) is masked wherever it appears in the stored inputs, output,
 * stderr and error message, unless it is shorter than {@link ValueMask#MIN_LENGTH} characters.
 */
public final class Redactor {
  public static final List<String> DEFAULT_KEYS =
      List.of("password", "passwd", "token", "secret", "api_key", "authorization");
  public static final String REDACTED = "[REDACTED]";

  private final List<String> words;

  public Redactor(List<String> keys) {
    this.words =
        Objects.requireNonNull(keys, "keys").stream().map(Redactor::normalize).distinct().toList();
    if (words.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("a secret key name must have a letter or digit");
    }
  }

  public static Redactor defaults() {
    return new Redactor(DEFAULT_KEYS);
  }

  /** The record as it may be stored. */
  public ExecutionRecord redact(ExecutionRecord record) {
    return redact(record, Set.of());
  }

  /** The record as it may be stored, {@code secrets} masked too wherever they appear. */
  public ExecutionRecord redact(ExecutionRecord record, Set<String> secrets) {
    ValueMask mask = maskFor(secrets, record.inputs(), record.output());
    return record.withStoredText(
        mask.mask(redact(record.inputs())),
        mask.mask(redact(record.output())),
        mask.mask(record.stderr()),
        mask(mask, record.error()));
  }

  /** The workflow run as it may be stored. */
  public WorkflowRun redactRun(WorkflowRun run) {
    return redactRun(run, Set.of());
  }

  /** The workflow run as it may be stored, {@code secrets} masked too wherever they appear. */
  public WorkflowRun redactRun(WorkflowRun run, Set<String> secrets) {
    ValueMask mask = maskFor(secrets, run.inputs(), run.output());
    return run.withStoredText(
        mask.mask(redact(run.inputs())), mask.mask(redact(run.output())), mask(mask, run.error()));
  }

  /** A copy of {@code node} with secret values replaced; null stays null. */
  public JsonNode redact(JsonNode node) {
    if (node == null || !node.isContainerNode()) {
      return node;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(item -> copy.add(redact(item)));
      return copy;
    }
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      copy.set(
          field.getKey(),
          isSecret(field.getKey())
              ? JsonNodeFactory.instance.textNode(REDACTED)
              : redact(field.getValue()));
    }
    return copy;
  }

  /**
   * The values found under secret names in {@code node}, at any depth, that are long enough to be
   * masked wherever they appear: strings and numbers by their text; never booleans or null.
   */
  public Set<String> secretValues(JsonNode node) {
    Set<String> found = new LinkedHashSet<>();
    collect(node, false, found);
    return found;
  }

  private void collect(JsonNode node, boolean underSecret, Set<String> found) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        collect(field.getValue(), underSecret || isSecret(field.getKey()), found);
      }
    } else if (node.isArray()) {
      node.forEach(item -> collect(item, underSecret, found));
    } else if (underSecret
        && (node.isTextual() || node.isNumber())
        && ValueMask.isMaskable(node.asText())) {
      found.add(node.asText());
    }
  }

  private ValueMask maskFor(Set<String> secrets, JsonNode inputs, JsonNode output) {
    Set<String> values = new LinkedHashSet<>(Objects.requireNonNull(secrets, "secrets"));
    values.addAll(secretValues(inputs));
    values.addAll(secretValues(output));
    return ValueMask.of(values);
  }

  private static ErrorInfo mask(ValueMask mask, ErrorInfo error) {
    return error == null ? null : new ErrorInfo(error.code(), mask.mask(error.message()));
  }

  boolean isSecret(String key) {
    String name = normalize(key);
    return words.stream().anyMatch(name::contains);
  }

  private static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
