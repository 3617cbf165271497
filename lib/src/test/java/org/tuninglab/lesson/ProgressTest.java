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
  void progressShownElsewhereGetsEveryReportOfEachPartAndNotesStayLines() {
    List<String> reports = new java.util.ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = Progress.to(what -> (done, total) -> reports.add(what + " " + done + "/" + total),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    BiConsumer<Integer, Integer> count = p.counter("answers");
    for (int i = 1; i <= 3; i++) {
      count.accept(i, 3);
    }
    p.note("few-shot");
    assertEquals(List.of("answers 1/3", "answers 2/3", "answers 3/3"), reports);
    assertEquals("lessons: few-shot", bytes.toString(StandardCharsets.UTF_8).strip());
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
}
