package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContrastTest {
  @Test
  void aNoteGoesAfterAnyThereAreAndTheFiguresStay() {
    Contrast c = new Contrast("entity F1", "0-shot", 0.0, "3-shot", 0.18, 160, "");
    assertEquals("first", c.withNote("first").note());
    assertEquals("first; second", c.withNote("first").withNote("second").note());
    assertEquals(new Contrast("entity F1", "0-shot", 0.0, "3-shot", 0.18, 160, "first"),
        c.withNote("first"));
  }
}
