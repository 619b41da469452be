package dev.stepguard.core.port;

import dev.stepguard.core.model.HealthReport;

/** Checks one thing stepguard needs on this host, for {@code doctor} and the health route. */
public interface HealthCheck {

  /** Checks now; never throws. */
  HealthReport check();
}
