package dev.stepguard.core.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replaces known secret values wherever they appear in text, as CI systems mask secrets in logs:
 * the value as given and as it reads inside a JSON string (escaped by Jackson, or by Python's
 * {@code json.dumps} with or without {@code ensure_ascii}). Values shorter than {@link #MIN_LENGTH}
 * characters, or blank, are not masked by value: masking {@code "a"} would shred every record.
 */
final class ValueMask {
  static final int MIN_LENGTH = 4;

  /** The forms to replace, by first character, longest first so that the longest match wins. */
  private final Map<Character, List<String>> formsByFirst;

  private ValueMask(Map<Character, List<String>> formsByFirst) {
    this.formsByFirst = formsByFirst;
  }

  /** A mask for {@code values}; the ones too short to mask are left out. */
  static ValueMask of(Collection<String> values) {
    Set<String> forms = new LinkedHashSet<>();
    for (String value : values) {
      if (isMaskable(value)) {
        forms.add(value);
        forms.add(escaped(value, false, false));
        forms.add(escaped(value, false, true));
        forms.add(escaped(value, true, false));
        forms.add(escaped(value, true, true));
      }
    }
    Map<Character, List<String>> byFirst = new HashMap<>();
    for (String form : forms) {
      byFirst.computeIfAbsent(form.charAt(0), first -> new ArrayList<>()).add(form);
    }
    byFirst.values().forEach(list -> list.sort(Comparator.comparingInt(String::length).reversed()));
    return new ValueMask(byFirst);
  }

  /** Whether {@code value} is long enough to be masked wherever it appears. */
  static boolean isMaskable(String value) {
    return value.length() >= MIN_LENGTH && !value.isBlank();
  }

  /** {@code text} with every known value replaced by {@link Redactor#REDACTED}; null stays null. */
  String mask(String text) {
    if (text == null || formsByFirst.isEmpty()) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < text.length()) {
      String hit = formAt(text, i);
      if (hit == null) {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, i).append(Redactor.REDACTED);
      i += hit.length();
      copied = i;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** A copy of {@code node} with known values masked in its strings, numbers and keys. */
  JsonNode mask(JsonNode node) {
    if (node == null || formsByFirst.isEmpty()) {
      return node;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(mask(field.getKey()), mask(field.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(item -> copy.add(mask(item)));
      return copy;
    }
    if (node.isTextual() || node.isNumber()) {
      String text = node.asText();
      String masked = mask(text);
      return masked.equals(text) ? node : JsonNodeFactory.instance.textNode(masked);
    }
    return node;
  }

  private String formAt(String text, int at) {
    List<String> candidates = formsByFirst.get(text.charAt(at));
    if (candidates != null) {
      for (String form : candidates) {
        if (text.startsWith(form, at)) {
          return form;
        }
      }
    }
    return null;
  }

  /** {@code value} as it reads between the quotes of a JSON string. */
  static String escaped(String value, boolean asciiOnly, boolean lowerHex) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || (asciiOnly && c > 0x7e)) {
            String hex = String.format("%04x", (int) c);
            out.append("\\u").append(lowerHex ? hex : hex.toUpperCase(Locale.ROOT));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
