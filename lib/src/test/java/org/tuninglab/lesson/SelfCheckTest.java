package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SelfCheckTest {

  private final PrintStream original = System.out;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(original);
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aPassingCheckPrintsPassAndItsName() {
    SelfCheck.expect("three probabilities", true, "divide by the sum");
    assertEquals("PASS: three probabilities\n", printed());
  }

  @Test
  void aFailingCheckPrintsFailWithTheHintAndDoesNotThrow() {
    SelfCheck.expect("three probabilities", false, "divide by the sum");
    assertEquals("FAIL: three probabilities. Hint: divide by the sum\n", printed());
  }

  @Test
  void nearShowsBothNumbersReadablyAndAnUntouchedNaNFails() {
    SelfCheck.near("softmax", Double.NaN, 0.6652409557748219, 1e-9, "exp(x) / sum(exp(x))");
    assertEquals("FAIL: softmax. Hint: got nothing (NaN), expected 0.6652 ± 1.000e-09. exp(x) / sum(exp(x))\n", printed());
    SelfCheck.near("close enough", 0.66524095, 0.6652409557748219, 1e-6, "hint");
    assertTrue(printed().endsWith("PASS: close enough\n"), printed());
  }

  @Test
  void equalComparesValuesNotIdentities() {
    SelfCheck.equal("count", 1_312_384L, Long.valueOf(1_312_384L), "hint");
    assertEquals("PASS: count\n", printed());
    SelfCheck.equal("count", 0L, 1_312_384L, "add up a.size()");
    assertTrue(printed().endsWith("FAIL: count. Hint: got 0, expected 1312384. add up a.size()\n"), printed());
    SelfCheck.equal("method", "", "lora", "read row.method()");
    assertTrue(printed().endsWith("FAIL: method. Hint: got \"\", expected \"lora\". read row.method()\n"), printed());
  }
}
