package org.tuninglab.chat;

import java.time.Duration;
import java.util.Random;

/**
 * Waits between attempts: {@code initial * 2^(retry - 1)} scaled by a seeded factor in [0.5, 1],
 * capped at {@code max}; a server's {@code Retry-After} replaces it (also capped).
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Random jitter;

  Backoff(Duration initial, Duration max, long seed) {
    this.initial = initial;
    this.max = max;
    this.jitter = new Random(seed);
  }

  /**
   * @param retry 1 before the second attempt, 2 before the third, ...
   * @param retryAfter what the server asked for, or null
   */
  synchronized Duration delay(int retry, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
    double millis = initial.toMillis() * Math.pow(2, retry - 1) * (0.5 + 0.5 * jitter.nextDouble());
    return Duration.ofMillis((long) Math.min(millis, max.toMillis()));
  }
}
