package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A history whose schema has {@link HistoryDatabase#LATEST_VERSION} is taken as up to date and
 * Flyway is not even loaded; so the constant must name the newest migration, or an existing history
 * would never get a new one (and fail on its missing columns).
 */
class LatestMigrationTest {
  private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

  @Test
  void theVersionTakenAsUpToDateIsTheNewestMigration() throws IOException, URISyntaxException {
    Path migrations =
        Path.of(HistoryDatabase.class.getClassLoader().getResource("db/migration").toURI());
    int newest;
    try (Stream<Path> files = Files.list(migrations)) {
      newest =
          files
              .map(file -> VERSION.matcher(file.getFileName().toString()))
              .filter(Matcher::matches)
              .mapToInt(m -> Integer.parseInt(m.group(1)))
              .max()
              .orElseThrow();
    }
    assertThat(HistoryDatabase.LATEST_VERSION).isEqualTo(String.valueOf(newest));
  }
}
