package org.tuninglab.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several real OS processes write to one store at once, one run shared by all: no point is lost. */
class ConcurrentWritersTest {

  private static final int WRITERS = 4;
  private static final int POINTS = 3000;

  @TempDir Path tmp;

  @Test
  void everyPointOfEveryProcessArrives() throws Exception {
    RunStore store = RunStore.open(tmp);
    store.newRun().optId("shared").start().detach();
    List<Process> ps = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      ps.add(new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx128m", "-XX:TieredStopAtLevel=1",
              "-cp", System.getProperty("java.class.path"),
              StoreWriterMain.class.getName(), tmp.toString(), "shared", String.valueOf(POINTS), String.valueOf(w))
          .inheritIO().start());
    }
    for (Process p : ps) {
      assertEquals(0, p.waitFor());
    }
    List<MetricPoint> shared = store.run("shared").metrics();
    assertEquals(WRITERS * POINTS, shared.size());
    var perWriter = shared.stream().collect(Collectors.groupingBy(MetricPoint::name, Collectors.counting()));
    for (int w = 0; w < WRITERS; w++) {
      assertEquals(POINTS, perWriter.get("w" + w));
      RunRecord own = store.run("own-" + w);
      assertEquals(POINTS, own.history("loss").size());
      assertEquals(RunStatus.FINISHED, own.status().status());
    }
    assertEquals(WRITERS + 1, store.runs().size());
  }
}
