package dev.stepguard.app.cli;

import dev.stepguard.core.model.HistoryFilter;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a whole-number flag and says the range it takes when the value is not a number in it,
 * instead of picocli's "is not an int".
 */
abstract class WholeNumberConverter implements ITypeConverter<Integer> {
  private final int min;
  private final int max;

  WholeNumberConverter(int min, int max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public Integer convert(String value) {
    try {
      int number = Integer.parseInt(value.strip());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // said below, with the range
    }
    throw new TypeConversionException(
        "'" + value + "' is not a whole number from " + min + " to " + max);
  }

  /** {@code history list --limit}: a page of 1 to {@link HistoryFilter#MAX_LIMIT} runs. */
  static final class Limit extends WholeNumberConverter {
    Limit() {
      super(1, HistoryFilter.MAX_LIMIT);
    }
  }

  /** {@code history prune --keep}: any number of newest runs, none included. */
  static final class Keep extends WholeNumberConverter {
    Keep() {
      super(0, Integer.MAX_VALUE);
    }
  }
}
