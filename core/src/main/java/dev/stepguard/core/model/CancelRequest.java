package dev.stepguard.core.model;

import java.util.Objects;

/**
 * Why and by whom a run was asked to stop.
 *
 * @param cause what asked: {@code SIGINT} (Ctrl-C) or {@code SIGTERM} sent to the stepguard that
 *     ran it (the command line, or the HTTP server), or {@code cancel request} over HTTP
 * @param requester through which channel and by whom: the operating-system user of the stepguard
 *     that got the signal, or the label of the token that asked
 */
public record CancelRequest(String cause, Requester requester) {
  public CancelRequest {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(requester, "requester");
    if (cause.isBlank()) {
      throw new IllegalArgumentException("a cancel request needs a cause");
    }
  }

  /** A signal, named like {@code SIGINT}, sent to the stepguard of {@code user}. */
  public static CancelRequest bySignal(String signal, String user) {
    return new CancelRequest(signal, Requester.cli(user));
  }

  /**
   * A signal, named like {@code SIGTERM}, sent to the HTTP server of {@code user}, which then stops
   * the runs it has not finished draining.
   */
  public static CancelRequest toServer(String signal, String user) {
    return new CancelRequest(signal, new Requester(Requester.Channel.SERVER, user));
  }

  /** A cancel request over HTTP with the token labelled {@code tokenLabel}. */
  public static CancelRequest overHttp(String tokenLabel) {
    return new CancelRequest("cancel request", Requester.http(tokenLabel));
  }
}
