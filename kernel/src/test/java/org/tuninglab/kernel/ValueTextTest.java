package org.tuninglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTextTest {

  @Test
  void doublesShowSixSignificantDigits() {
    assertEquals("0.181818", ValueText.number(0.18181818181818182));
    assertEquals("6.98649", ValueText.number(6.986488695886317));
    assertEquals("32973", ValueText.number(32972.953516));
    assertEquals("2.0", ValueText.number(2.0));
    assertEquals("-0.5", ValueText.number(-0.5));
    assertEquals("1e-9", ValueText.number(1e-9));
    assertEquals("1.23457e20", ValueText.number(1.23456789e20));
    assertEquals("1234570", ValueText.number(1234567.0));
    assertEquals("NaN", ValueText.number(Double.NaN));
  }

  @Test
  void arraysShowTheirElements() {
    assertEquals("[1, 2, 3]", ValueText.of(new int[] {1, 2, 3}));
    assertEquals("[0.333333, 1.0]", ValueText.of(new double[] {1.0 / 3, 1.0}));
    assertEquals("[a, null]", ValueText.of(new String[] {"a", null}));
    assertEquals("[[1, 2], [3]]", ValueText.of(new int[][] {{1, 2}, {3}}));
    assertEquals("[]", ValueText.of(new long[0]));
  }

  @Test
  void longArraysShowHeadAndTailAndTheCount() {
    int[] values = new int[100];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    String text = ValueText.of(values);
    assertEquals("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, ..., 95, 96, 97, 98, 99] (100 values)", text);
  }

  @Test
  void numberCollectionsAndMapsAreFormattedOtherValuesAreNot() {
    assertEquals("[0.666667, 3]", ValueText.of(List.of(2.0 / 3, 3)));
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put("lora", 1.9123456);
    assertEquals("{lora=1.91235}", ValueText.of(losses));
    assertEquals("[x, 0.6666666666666666]", ValueText.of(List.of("x", 2.0 / 3)));
    assertEquals("0.333333", ValueText.of(1.0 / 3));
    assertEquals("hello", ValueText.of("hello"));
  }
}
