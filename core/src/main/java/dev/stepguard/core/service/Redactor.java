package dev.stepguard.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.WorkflowRun;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Hides secrets before a record is stored: the value of every key, at any depth of the inputs and
 * the output, whose name contains one of the configured words. Names are compared without case,
 * {@code -} or {@code _}, so {@code api_key} also catches {@code apiKey} and {@code X-API-KEY}.
 */
public final class Redactor {
  public static final List<String> DEFAULT_KEYS = List.of("password", "token", "secret", "api_key");
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
    return record.withData(redact(record.inputs()), redact(record.output()));
  }

  /** The workflow run as it may be stored. */
  public WorkflowRun redactRun(WorkflowRun run) {
    return run.withData(redact(run.inputs()), redact(run.output()));
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

  boolean isSecret(String key) {
    String name = normalize(key);
    return words.stream().anyMatch(name::contains);
  }

  private static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
