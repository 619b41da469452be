package dev.stepguard.core.model;

import java.util.Objects;

/**
 * The state of one thing stepguard needs on this host.
 *
 * @param component what was checked: {@code python}, {@code sandbox}, {@code history}
 * @param ok whether it works
 * @param detail what was found: a path and version, or what is wrong
 * @param remedy what to do when it does not work; empty when it does
 */
public record HealthReport(String component, boolean ok, String detail, String remedy) {
  public HealthReport {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(remedy, "remedy");
  }
}
