package org.tuninglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {
  private static final List<Integer> TEN = IntStream.range(0, 10).boxed().toList();
  private static final List<Integer> PINNED_TRAIN = List.of(3, 4, 7, 0, 8, 5, 9);
  private static final List<Integer> PINNED_HOLDOUT = List.of(2, 6, 1);

  @Test
  void sameSeedSameSplitOnEveryMachine() {
    Split<Integer> split = Split.random(TEN, 3, 42);
    // Pinned: SplittableRandom's sequence is specified, so this holds on any JVM.
    assertEquals(PINNED_TRAIN, split.train());
    assertEquals(PINNED_HOLDOUT, split.holdout());
    assertEquals(split, Split.random(TEN, 0.3, 42));
    assertNotEquals(split, Split.random(TEN, 3, 43));
  }

  @Test
  void splitIsAPartition() {
    Split<Integer> split = Split.random(TEN, 4, 7);
    List<Integer> all = new ArrayList<>(split.train());
    all.addAll(split.holdout());
    assertEquals(TEN, all.stream().sorted().toList());
    assertEquals(4, split.holdout().size());
  }

  @Test
  void byFieldHoldsOutThoseValues() {
    Example a = new PromptCompletion("p", "c", Map.of("subject", "Algebra"), "f:1");
    Example g = new PromptCompletion("p", "c", Map.of("subject", "Geometry"), "f:2");
    Split<Example> split = Split.byField(List.of(a, g, a), "subject", Set.of("Geometry"));
    assertEquals(List.of(a, a), split.train());
    assertEquals(List.of(g), split.holdout());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Split.byField(List.of(a), "level", Set.of("1")));
    assertEquals("f:1: no field \"level\" to split by; it has [subject]", e.getMessage());
  }

  @Test
  void badSizesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Split.random(TEN, 11, 1));
    assertThrows(IllegalArgumentException.class, () -> Split.random(TEN, 1.5, 1));
  }
}
