package dev.stepguard.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web pages' sessions, kept in memory only: each is a random 256-bit id standing for the caller
 * whose token opened it, with a random 256-bit CSRF token of its own. A session ends when it was
 * idle for {@link #idle}, when it is {@link #absolute} old, on logout, and when the server stops.
 * The API never looks here: a session cookie opens no {@code /api/} route.
 */
final class Sessions {
  /** One session: who it stands for, its CSRF token and its times. */
  record Session(String id, Caller caller, String csrf, Instant created, Instant lastSeen) {
    Session {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(caller, "caller");
      Objects.requireNonNull(csrf, "csrf");
    }

    /** Whether {@code presented} is this session's CSRF token, compared in constant time. */
    boolean csrfMatches(String presented) {
      return presented != null
          && MessageDigest.isEqual(
              csrf.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The most sessions kept at once: at the cap, expired ones are dropped, then the one unused the
   * longest.
   */
  static final int MAX_SESSIONS = 10_000;

  /**
   * The most sessions one token keeps: its least recently seen one ends for a new one, so that the
   * holder of one token cannot fill the whole table and push everybody else's sessions out.
   */
  static final int MAX_PER_TOKEN = 64;

  /** A session and the token that opened it, which never leaves this class. */
  private static final class Entry {
    final Session session;
    final String token;

    Entry(Session session, String token) {
      this.session = session;
      this.token = token;
    }
  }

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
  private final Authenticator authenticator;
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;

  Sessions(Authenticator authenticator, Clock clock, Duration idle, Duration absolute) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idle = Objects.requireNonNull(idle, "idle");
    this.absolute = Objects.requireNonNull(absolute, "absolute");
  }

  /** A new session for the caller {@code token} stands for; empty if it stands for none. */
  Optional<Session> open(String token) {
    Optional<Caller> caller =
        token == null || token.isBlank() ? Optional.empty() : authenticator.authenticate(token);
    if (caller.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    String label = caller.get().label();
    List<Entry> same =
        sessions.values().stream().filter(e -> e.session.caller().label().equals(label)).toList();
    if (same.size() >= MAX_PER_TOKEN) {
      same.stream()
          .min(Comparator.comparing(entry -> entry.session.lastSeen()))
          .ifPresent(oldest -> sessions.remove(oldest.session.id()));
    }
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.values().removeIf(entry -> expired(entry.session, now));
    }
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream()
          .min(Comparator.comparing(entry -> entry.session.lastSeen()))
          .ifPresent(oldest -> sessions.remove(oldest.session.id()));
    }
    Session session = new Session(randomId(), caller.get(), randomId(), now, now);
    sessions.put(session.id(), new Entry(session, token));
    return Optional.of(session);
  }

  /**
   * The live session with this id, its idle time restarted; empty if none, expired, or its token
   * was revoked since.
   */
  Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Entry found = sessions.get(id);
    if (found == null) {
      return Optional.empty();
    }
    if (expired(found.session, now) || authenticator.authenticate(found.token).isEmpty()) {
      sessions.remove(id, found);
      return Optional.empty();
    }
    Session old = found.session;
    Session touched = new Session(old.id(), old.caller(), old.csrf(), old.created(), now);
    sessions.replace(id, found, new Entry(touched, found.token));
    return Optional.of(touched);
  }

  /** Ends the session with this id, if there is one. */
  void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  int size() {
    return sessions.size();
  }

  private boolean expired(Session session, Instant now) {
    return !now.isBefore(session.lastSeen().plus(idle))
        || !now.isBefore(session.created().plus(absolute));
  }

  private String randomId() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
