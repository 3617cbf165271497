package org.tuninglab.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimeMagicTest {

  @Test
  void formatsInReadableUnits() {
    assertEquals("250 µs", TimeMagic.format(250_000));
    assertEquals("12.5 ms", TimeMagic.format(12_500_000));
    assertEquals("12.00 s", TimeMagic.format(12_000_000_000L));
  }
}
