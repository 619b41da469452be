package dev.stepguard.core.workflow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stepguard.core.yaml.YamlSyntax;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML document as a tree whose every node and key knows its line and column. */
final class YamlTree {
  /** Far deeper than any real workflow; a deeper file is refused where it gets too deep. */
  static final int MAX_DEPTH = YamlSyntax.MAX_DEPTH;

  private static final YAMLFactory YAML = new YAMLFactory();

  private YamlTree() {}

  /** Nesting deeper than {@link #MAX_DEPTH}: valid YAML, but no workflow. */
  static final class TooDeep extends JsonParseException {
    private static final long serialVersionUID = 1L;

    TooDeep(JsonParser parser) {
      super(parser, "nested deeper than " + MAX_DEPTH + " levels; no workflow file needs that");
    }
  }

  /** Where something stands in the file, 1-based. */
  record At(int line, int column) {
    static At of(JsonLocation location) {
      if (location == null) {
        return new At(1, 1);
      }
      return new At(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }
  }

  sealed interface Node {
    At at();

    /** The node as plain JSON. */
    JsonNode json();
  }

  record Scalar(JsonNode value, At at) implements Node {
    @Override
    public JsonNode json() {
      return value;
    }
  }

  record Entry(String key, At keyAt, Node value) {}

  record Mapping(Map<String, Entry> entries, At at) implements Node {
    @Override
    public JsonNode json() {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      entries.forEach((key, entry) -> object.set(key, entry.value().json()));
      return object;
    }
  }

  record Sequence(List<Node> items, At at) implements Node {
    @Override
    public JsonNode json() {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      items.forEach(item -> array.add(item.json()));
      return array;
    }
  }

  /** A key that appears twice in one mapping: YAML allows it, a workflow file does not. */
  record Duplicate(String key, At at) {}

  /** The document, and the duplicate keys met on the way; null for an empty document. */
  record Document(Node root, List<Duplicate> duplicates) {}

  static Document read(byte[] content) throws IOException {
    try (JsonParser parser = YAML.createParser(content)) {
      List<Duplicate> duplicates = new ArrayList<>();
      JsonToken first = parser.nextToken();
      return new Document(first == null ? null : node(parser, duplicates, 0), duplicates);
    }
  }

  private static Node node(JsonParser parser, List<Duplicate> duplicates, int depth)
      throws IOException {
    At at = At.of(parser.currentTokenLocation());
    JsonToken token = parser.currentToken();
    if (depth >= MAX_DEPTH && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
      throw new TooDeep(parser);
    }
    if (token == JsonToken.START_OBJECT) {
      Map<String, Entry> entries = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        At keyAt = At.of(parser.currentTokenLocation());
        parser.nextToken();
        Node value = node(parser, duplicates, depth + 1);
        if (entries.containsKey(key)) {
          duplicates.add(new Duplicate(key, keyAt));
        } else {
          entries.put(key, new Entry(key, keyAt, value));
        }
      }
      return new Mapping(entries, at);
    }
    if (token == JsonToken.START_ARRAY) {
      List<Node> items = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        items.add(node(parser, duplicates, depth + 1));
      }
      return new Sequence(items, at);
    }
    return new Scalar(scalar(parser, token), at);
  }

  private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (token) {
      case VALUE_STRING:
        return nodes.textNode(parser.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return number(parser, token);
      case VALUE_TRUE:
        return nodes.booleanNode(true);
      case VALUE_FALSE:
        return nodes.booleanNode(false);
      default:
        return nodes.nullNode();
    }
  }

  /**
   * A number exactly as the file writes it ({@code 0.1000} stays {@code 0.1000}, {@code 1e400} is
   * not infinity): a script gets what the author wrote, and the run's record shows the same. What
   * JSON cannot carry ({@code .inf}, {@code .nan}) and numbers longer than the parser's limit are
   * refused where they stand, with the advice to quote them.
   */
  private static JsonNode number(JsonParser parser, JsonToken token) throws IOException {
    String text = parser.getText();
    try {
      if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        return DecimalNode.valueOf(parser.getDecimalValue());
      }
      return switch (parser.getNumberType()) {
        case INT -> JsonNodeFactory.instance.numberNode(parser.getIntValue());
        case LONG -> JsonNodeFactory.instance.numberNode(parser.getLongValue());
        default -> JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue());
      };
    } catch (StreamConstraintsException e) {
      throw new JsonParseException(
          parser,
          "a number of "
              + text.length()
              + " characters, longer than any workflow needs; quote it to pass it as text");
    } catch (JsonParseException | NumberFormatException e) {
      throw new JsonParseException(
          parser,
          "'"
              + text
              + "' is not a number JSON can carry (infinity and NaN are not); quote it to pass it"
              + " as text");
    }
  }
}
