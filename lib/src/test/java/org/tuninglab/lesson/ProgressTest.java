package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void theTimeLeftIsTheRateOfTheItemsTimedTimesTheItemsLeft() {
    // 10 items in 20 s since the first report, 30 left: 60 s.
    assertEquals("lessons: answers 12/42, 1:00 left (0:20 so far)",
        Progress.line("answers", 12, 42, 10, 20_000_000_000L));
    assertEquals("lessons: answers 2/42, ? left (0:00 so far)", Progress.line("answers", 2, 42, 0, 0));
  }

  @Test
  void aCounterReportsItsFirstCallAndItsLastButNotEveryCallInBetween() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BiConsumer<Integer, Integer> count =
        new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8)).counter("answers");
    for (int i = 1; i <= 100; i++) {
      count.accept(i, 100);
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("lessons: answers 1/100, ? left"), lines.get(0));
    assertTrue(lines.get(1).startsWith("lessons: answers 100/100, 0:00 left"), lines.get(1));
  }

  @Test
  void progressShownElsewhereGetsEveryCountAndNoteAsTheyCome() {
    List<String> seen = new ArrayList<>();
    Progress progress =
        new Progress(what -> (done, total) -> seen.add(what + " " + done + "/" + total), seen::add);
    progress.note("forgetting");
    progress.counter("answers").accept(1, 2);
    progress.counter("answers").accept(2, 2);
    assertEquals(List.of("forgetting", "answers 1/2", "answers 2/2"), seen);
  }
}
