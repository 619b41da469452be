package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.TokenStoreContract;
import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.TokenScope;
import dev.stepguard.core.port.TokenStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbiTokenStoreTest extends TokenStoreContract {
  @TempDir Path project;
  private HistoryDatabase database;

  @Override
  protected TokenStore newStore() {
    database = new HistoryDatabase(HistorySettings.forProject(project));
    return new JdbiTokenStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void keepsTheHashAndNeverTheTokenAcrossReopening() {
    String token = ApiTokens.generate();
    store.add(new ApiToken("ci", TokenScope.RUN, ApiTokens.sha256Hex(token), Instant.EPOCH));
    database.close();

    List<Map<String, Object>> rows =
        database.call(
            session -> session.handle().createQuery("SELECT * FROM api_tokens").mapToMap().list());

    assertThat(rows)
        .singleElement()
        .satisfies(row -> assertThat(row.values()).doesNotContain(token));
    assertThat(rows.get(0)).containsEntry("sha256", ApiTokens.sha256Hex(token));
    assertThat(store.findBySha256(ApiTokens.sha256Hex(token))).isPresent();
  }
}
