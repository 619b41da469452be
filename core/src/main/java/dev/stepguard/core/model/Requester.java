package dev.stepguard.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * Who asked for a run, or for its stop: through which channel, and the user name (command line, or
 * the server's operating-system user when the server stops its own runs) or token label (HTTP)
 * behind it.
 */
public record Requester(Channel channel, String name) {
  public Requester {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a requester needs a name");
    }
  }

  /** A run asked for on the command line by the operating-system user {@code user}. */
  public static Requester cli(String user) {
    return new Requester(Channel.CLI, user);
  }

  /** A run asked for over HTTP with the token labelled {@code tokenLabel}. */
  public static Requester http(String tokenLabel) {
    return new Requester(Channel.HTTP, tokenLabel);
  }

  /** The ways into stepguard. */
  public enum Channel {
    CLI,
    HTTP,
    /** The HTTP server itself, stopping its runs when it got a signal; never asks for a run. */
    SERVER;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Channel parse(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }
}
