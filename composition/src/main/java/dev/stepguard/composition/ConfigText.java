package dev.stepguard.composition;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stepguard.core.yaml.YamlSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration file read once: the bytes, their SHA-256, what they say and where each key
 * stands, so that what is trusted is exactly what is applied.
 *
 * @param keys where each key starts, by dotted path ({@code limits.memory})
 */
record ConfigText(Path file, String sha256, ConfigFile content, Map<String, JsonLocation> keys) {
  /** Far larger than any real configuration; a larger file is refused unread. */
  static final int MAX_BYTES = 1 << 20;

  /** A key given twice is an error: a reviewer could read the first while the last applies. */
  static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Reads keys as written, twice if so, for {@link #keys} to say where the second one is. */
  private static final YAMLFactory LENIENT = new YAMLFactory();

  /**
   * The file, or empty when there is none.
   *
   * @param followLinks whether {@code file} may be a symbolic link (a project's may not: it could
   *     point at a host file and echo it in an error)
   */
  static Optional<ConfigText> read(Path file, boolean followLinks) {
    LinkOption[] options =
        followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, options);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ConfigurationException(file + ": cannot be read: " + e.getMessage());
    }
    if (attributes.isSymbolicLink()) {
      throw new ConfigurationException(
          file + ": is a symbolic link; stepguard reads only a regular file here");
    }
    if (!attributes.isRegularFile()) {
      throw new ConfigurationException(file + ": is not a regular file");
    }
    byte[] bytes = bytes(file, options);
    return Optional.of(parse(file, bytes));
  }

  /** Where {@code key} (dotted) stands, as {@code FILE:LINE:COLUMN: }. */
  String at(String key) {
    return where(file, keys.get(key));
  }

  private static byte[] bytes(Path file, LinkOption... options) {
    Set<StandardOpenOption> open = Set.of(StandardOpenOption.READ);
    try (InputStream in =
        Channels.newInputStream(
            Files.newByteChannel(
                file,
                options.length == 0
                    ? open
                    : Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new ConfigurationException(file + ": is larger than " + (MAX_BYTES >> 10) + " KiB");
      }
      return bytes;
    } catch (IOException e) {
      throw new ConfigurationException(file + ": cannot be read: " + e.getMessage());
    }
  }

  static ConfigText parse(Path file, byte[] bytes) {
    YamlSyntax.notUtf8(bytes).ifPresent(problem -> refuse(file, problem));
    hiddenLineBreak(file, bytes);
    YamlSyntax.check(bytes).ifPresent(problem -> refuse(file, problem));
    Map<String, JsonLocation> keys = keys(file, bytes);
    ConfigFile content;
    try (JsonParser parser = YAML.getFactory().createParser(bytes)) {
      content = parser.nextToken() == null ? null : YAML.readValue(parser, ConfigFile.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigurationException(
          where(file, keyOf(e, keys).orElse(e.getLocation()))
              + "unknown key '"
              + e.getPropertyName()
              + "'; known keys: "
              + knownKeys(e));
    } catch (MismatchedInputException e) {
      String key = path(e);
      throw new ConfigurationException(
          where(file, Optional.ofNullable(keys.get(key)).orElse(e.getLocation()))
              + (key.isEmpty() ? "the file" : key)
              + " takes "
              + expected(e.getTargetType())
              + ", not "
              + found(e));
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(syntaxError(file, e));
    } catch (IOException e) {
      throw new ConfigurationException(file + ": cannot be read: " + e.getMessage());
    }
    if (content == null) {
      content =
          new ConfigFile(
              null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
    return new ConfigText(file, sha256(bytes), content, Map.copyOf(keys));
  }

  /**
   * Refuses the line breaks YAML honours but a terminal or an editor may not show (U+2028, U+2029,
   * NEL, a carriage return without a newline): behind one, a key can pass for part of a comment.
   */
  private static void hiddenLineBreak(Path file, byte[] bytes) {
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean bareReturn = c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n');
      if (c == '\u2028' || c == '\u2029' || c == '\u0085' || bareReturn) {
        throw new ConfigurationException(
            String.format(
                java.util.Locale.ROOT,
                "%s:%d:%d: a line break that editors may not show (U+%04X); use plain newlines",
                file,
                line,
                column,
                (int) c));
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  }

  /** Jackson reports an unknown key after its value; the key map knows where it starts. */
  private static Optional<JsonLocation> keyOf(
      UnrecognizedPropertyException e, Map<String, JsonLocation> keys) {
    return Optional.ofNullable(keys.get(path(e)));
  }

  /** The dotted key an error is about ({@code limits.memory}); empty for the whole file. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (var reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      }
    }
    return path.toString();
  }

  /** The keys a section takes, in alphabetical order (docs/configuration.md). */
  private static List<String> knownKeys(UnrecognizedPropertyException e) {
    return e.getKnownPropertyIds() == null
        ? List.of()
        : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another kind of value";
    }
    if (type == String.class) {
      return "a single value";
    }
    if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
      return "a whole number";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a section of keys";
  }

  private static String found(MismatchedInputException e) {
    if (e instanceof InvalidFormatException invalid && invalid.getValue() != null) {
      return "'" + invalid.getValue() + "'";
    }
    JsonToken token = e.getProcessor() instanceof JsonParser parser ? parser.currentToken() : null;
    String said = String.valueOf(e.getOriginalMessage());
    if (token == null) {
      token =
          Arrays.stream(JsonToken.values())
              .filter(t -> said.contains("JsonToken." + t.name()))
              .findFirst()
              .orElse(JsonToken.VALUE_STRING);
    }
    return switch (token) {
      case START_ARRAY -> "a list";
      case START_OBJECT -> "a section of keys";
      case VALUE_NULL -> "an empty value";
      case VALUE_TRUE, VALUE_FALSE -> "true or false";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> "a single value";
    };
  }

  /** A file that is not YAML: the problem in a line, and where it is. */
  private static String syntaxError(Path file, JsonProcessingException e) {
    YamlSyntax.Problem problem = YamlSyntax.of(e);
    return file + ":" + problem.line() + ":" + problem.column() + ": " + problem.message();
  }

  private static void refuse(Path file, YamlSyntax.Problem problem) {
    throw new ConfigurationException(
        file + ":" + problem.line() + ":" + problem.column() + ": " + problem.message());
  }

  /**
   * Where each key starts; empty for a file that is not even YAML (parsing then says why). A key
   * given twice in one section is refused at its second place: a reviewer could read the first
   * while the last applies.
   */
  private static Map<String, JsonLocation> keys(Path file, byte[] bytes) {
    Map<String, JsonLocation> keys = new HashMap<>();
    Deque<String> path = new ArrayDeque<>();
    Deque<Set<String>> sections = new ArrayDeque<>();
    try (JsonParser parser = LENIENT.createParser(bytes)) {
      String pending = null;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          if (!sections.isEmpty() && !sections.peek().add(parser.currentName())) {
            throw new ConfigurationException(
                where(file, parser.currentTokenLocation())
                    + "'"
                    + parser.currentName()
                    + "' is given twice");
          }
          pending =
              path.isEmpty() ? parser.currentName() : path.peek() + "." + parser.currentName();
          keys.putIfAbsent(pending, parser.currentTokenLocation());
        } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          path.push(pending == null ? (path.isEmpty() ? "" : path.peek()) : pending);
          pending = null;
          if (token == JsonToken.START_OBJECT) {
            sections.push(new HashSet<>());
          }
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          path.pop();
          if (token == JsonToken.END_OBJECT) {
            sections.pop();
          }
        } else {
          pending = null;
        }
      }
    } catch (ConfigurationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // the keys before the error still say where they are
    }
    Map<String, JsonLocation> top = new HashMap<>();
    keys.forEach(
        (key, location) -> top.put(key.startsWith(".") ? key.substring(1) : key, location));
    return top;
  }

  static String where(Path file, JsonLocation location) {
    if (location == null) {
      return file + ": ";
    }
    return file + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
