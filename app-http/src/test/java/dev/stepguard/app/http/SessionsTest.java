package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.TickingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Web sessions: random 256-bit ids and CSRF tokens, idle and absolute expiry, logout. */
class SessionsTest {
  private final TickingClock clock =
      new TickingClock(Instant.parse("2026-11-30T08:00:00Z"), Duration.ZERO);
  private final Set<String> revoked = new HashSet<>();
  private final Authenticator tokens =
      token ->
          token.startsWith("token-") && !revoked.contains(token)
              ? Optional.of(new Caller(token.substring("token-".length()), true))
              : Optional.empty();
  private final Sessions sessions =
      new Sessions(tokens, clock, Duration.ofMinutes(30), Duration.ofHours(12));

  private Sessions.Session open() {
    return sessions.open("token-ci").orElseThrow();
  }

  @Test
  void opensASessionOnlyForAKnownToken() {
    assertThat(sessions.open("token-ci"))
        .hasValueSatisfying(s -> assertThat(s.caller().label()).isEqualTo("ci"));
    assertThat(sessions.open("nope")).isEmpty();
    assertThat(sessions.open("")).isEmpty();
    assertThat(sessions.open(null)).isEmpty();
  }

  @Test
  void endsASessionOnceItsTokenIsRevoked() {
    String id = open().id();

    revoked.add("token-ci");

    assertThat(sessions.find(id)).isEmpty();
    revoked.clear();
    assertThat(sessions.find(id)).as("gone for good").isEmpty();
  }

  @Test
  void givesEachSessionA256BitRandomIdAndCsrfToken() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Sessions.Session session = open();
      assertThat(session.id()).matches("[A-Za-z0-9_-]{43}");
      assertThat(session.csrf()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(session.id());
      assertThat(seen.add(session.id())).isTrue();
      assertThat(seen.add(session.csrf())).isTrue();
    }
  }

  @Test
  void endsASessionIdleForTheIdleTime() {
    String id = open().id();

    clock.move(Duration.ofMinutes(29));
    assertThat(sessions.find(id)).isPresent();
    clock.move(Duration.ofMinutes(29));
    assertThat(sessions.find(id)).as("used 29 minutes ago").isPresent();
    clock.move(Duration.ofMinutes(30));
    assertThat(sessions.find(id)).isEmpty();
  }

  @Test
  void endsASessionAtItsAbsoluteLifetimeHoweverBusy() {
    String id = open().id();

    for (int i = 0; i < 47; i++) {
      clock.move(Duration.ofMinutes(15));
      assertThat(sessions.find(id)).isPresent();
    }
    clock.move(Duration.ofMinutes(15));
    assertThat(sessions.find(id)).isEmpty();
  }

  @Test
  void endsASessionAtLogout() {
    String id = open().id();

    sessions.close(id);

    assertThat(sessions.find(id)).isEmpty();
    assertThat(sessions.find(null)).isEmpty();
  }

  @Test
  void matchesOnlyItsOwnCsrfToken() {
    Sessions.Session one = open();
    Sessions.Session two = open();

    assertThat(one.csrfMatches(one.csrf())).isTrue();
    assertThat(one.csrfMatches(two.csrf())).isFalse();
    assertThat(one.csrfMatches("")).isFalse();
    assertThat(one.csrfMatches(null)).isFalse();
  }

  @Test
  void keepsAtMostItsCapOfSessions() {
    for (int i = 0; i < Sessions.MAX_SESSIONS + 5; i++) {
      sessions.open("token-t" + i % 200).orElseThrow();
    }

    assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
  }

  @Test
  void oneTokensManyLoginsEndOnlyThatTokensOldestSessions() {
    Sessions.Session other = sessions.open("token-auditor").orElseThrow();
    Sessions.Session first = open();
    clock.move(Duration.ofSeconds(1));
    for (int i = 1; i < Sessions.MAX_PER_TOKEN; i++) {
      open();
    }
    Sessions.Session newest = open();

    assertThat(sessions.find(first.id())).isEmpty();
    assertThat(sessions.find(newest.id())).isPresent();
    assertThat(sessions.find(other.id())).isPresent();
    assertThat(sessions.size()).isEqualTo(Sessions.MAX_PER_TOKEN + 1);
  }
}
