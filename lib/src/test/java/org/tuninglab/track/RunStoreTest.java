package org.tuninglab.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

  @TempDir Path tmp;

  record Cfg(double lr, int batchSize) {}

  @Test
  void runRoundTripsConfigMetricsSummaryArtefactsAndStatus() throws Exception {
    RunStore store = RunStore.open(tmp.resolve("store"));
    Path data = Files.writeString(tmp.resolve("train.jsonl"), "{\"prompt\":\"1+1\"}\n");
    Run run = store.newRun().optName("lora").optConfig(new Cfg(1e-4, 8)).optDataset("train", data).start();
    run.log(1, "loss", 2.5).log(2, "loss", 1.5).log(2, "eval_loss", Double.NaN);
    run.artifact("adapter", tmp.resolve("adapter"));
    run.finish(Map.of("eval_loss", 1.25));

    RunRecord rec = store.run(run.id());
    assertEquals("lora", rec.name());
    assertEquals(Map.of("lr", 1e-4, "batchSize", 8), rec.config());
    assertEquals(RunStatus.FINISHED, rec.status().status());
    assertEquals(1.25, rec.summary().get("eval_loss"));
    assertEquals(tmp.resolve("adapter").toString(), rec.artifacts().get("adapter"));
    assertEquals(List.of(2.5, 1.5), rec.history("loss").stream().map(MetricPoint::value).toList());
    assertTrue(Double.isNaN(rec.history("eval_loss").get(0).value()));
    DatasetFingerprint fp = rec.meta().datasets().get(0);
    assertEquals(64, fp.sha256().length());
    assertEquals(DatasetFingerprint.of("train", data), fp);
    assertNotNull(rec.meta().environment().java());
    assertEquals(1, store.runs().size());
  }

  @Test
  void resumedRunAppendsAndLaterValueOfAStepWins() {
    RunStore store = RunStore.open(tmp);
    Run run = store.newRun().optId("r1").start();
    run.log(1, "loss", 3.0).log(2, "loss", 2.0);
    run.end(RunStatus.PREEMPTED, "SIGTERM");
    assertEquals(RunStatus.PREEMPTED, store.run("r1").status().status());

    Run again = store.resume("r1");
    again.log(2, "loss", 1.9).log(3, "loss", 1.0);
    again.finish(Map.of());
    RunRecord rec = store.run("r1");
    assertEquals(4, rec.metrics().size());
    assertEquals(List.of(3.0, 1.9, 1.0), rec.history("loss").stream().map(MetricPoint::value).toList());
    assertEquals(RunStatus.FINISHED, rec.status().status());
  }

  /** The one writer's metric file of a run. */
  private static Path metricStream(Run run) throws java.io.IOException {
    try (var files = Files.list(run.dir().resolve("metrics"))) {
      return files.findFirst().orElseThrow();
    }
  }

  @Test
  void tornLastLineOfAKilledWriterIsSkipped() throws Exception {
    RunStore store = RunStore.open(tmp);
    Run run = store.newRun().optId("r").start();
    run.log(1, "loss", 1.0);
    Path stream = metricStream(run);
    Files.writeString(stream, "{\"step\":2,\"name\":\"lo", StandardOpenOption.APPEND);
    assertEquals(1, store.run("r").metrics().size());
  }

  @Test
  void aCorruptLineInTheMiddleIsSkippedAndReported() throws Exception {
    RunStore store = RunStore.open(tmp);
    Run run = store.newRun().optId("r").start();
    run.log(1, "loss", 1.0);
    Path stream = metricStream(run);
    Files.writeString(stream, "{\"step\": oops}\n", StandardOpenOption.APPEND);
    run.log(2, "loss", 0.5);
    run.finish(Map.of());
    List<String> skipped = new java.util.ArrayList<>();
    List<MetricPoint> points = store.run("r").metrics(skipped::add);
    assertEquals(List.of(1.0, 0.5), points.stream().map(MetricPoint::value).toList());
    assertEquals(1, skipped.size(), skipped.toString());
    assertTrue(skipped.get(0).startsWith(stream + ":2: not a metric point, skipped"), skipped.get(0));
    assertEquals(2, store.run("r").metrics().size(), "the logging overload skips too");
  }

  @Test
  void aRunWhoseWriterDiedIsSeenCrashedAfterItsLease() throws Exception {
    RunStore store = RunStore.open(tmp);
    try (Run dead = store.newRun().optId("dead").start();
        Run alive = store.newRun().optId("alive").start()) {
      // What a writer killed long ago leaves: RUNNING on disk, a heartbeat nobody renews.
      long past = System.currentTimeMillis() - RunLease.DURATION.toMillis() - 60_000;
      StoreJson.write(dead.dir().resolve("status.json"),
          new StatusRecord(RunStatus.RUNNING, past, null, "node7-4242-ab"));
      Files.setLastModifiedTime(dead.dir().resolve("heartbeat"),
          java.nio.file.attribute.FileTime.fromMillis(past));
      StatusRecord seen = store.run("dead").status();
      assertEquals(RunStatus.CRASHED, seen.status());
      assertTrue(seen.error().contains("node7-4242-ab") && seen.error().contains("resume"),
          seen.error());
      assertEquals(RunStatus.RUNNING, store.run("alive").status().status());
    }
  }

  @Test
  void closingAnUnfinishedRunMarksItFailed() {
    RunStore store = RunStore.open(tmp);
    try (Run run = store.newRun().optId("r").start()) {
      run.log(0, "loss", 1);
    }
    assertEquals(RunStatus.FAILED, store.run("r").status().status());
    assertEquals("closed before finish()", store.run("r").status().error());
  }

  @Test
  void badInputGivesClearErrors() throws Exception {
    RunStore store = RunStore.open(tmp);
    Run run = store.newRun().optId("r").start();
    assertTrue(assertThrows(TrackException.class, () -> run.log(1, " ", 1)).getMessage().contains("metric name"));
    run.finish(Map.of());
    String msg = assertThrows(TrackException.class, () -> run.log(1, "loss", 1)).getMessage();
    assertTrue(msg.contains("run r is FINISHED") && msg.contains("resume"), msg);
    msg = assertThrows(TrackException.class, () -> store.newRun().optId("r").start()).getMessage();
    assertTrue(msg.contains("already exists"), msg);
    msg = assertThrows(TrackException.class, () -> store.newRun().optId("../x").start()).getMessage();
    assertTrue(msg.contains("run id '../x' is invalid"), msg);
    msg = assertThrows(TrackException.class, () -> store.run("nope")).getMessage();
    assertTrue(msg.contains("no run 'nope'"), msg);
    msg = assertThrows(TrackException.class, () -> store.newRun().optDataset("train", tmp.resolve("missing.csv"))).getMessage();
    assertTrue(msg.contains("data set 'train'") && msg.contains("does not exist"), msg);
  }

  @Test
  void storeThatIsNotWritableIsRejectedNamingIt() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    Path bad = file.resolve("store");
    String msg = assertThrows(TrackException.class, () -> RunStore.open(bad)).getMessage();
    assertTrue(msg.contains("run store " + bad) && msg.contains("not writable"), msg);

    Path ro = Files.createDirectories(tmp.resolve("ro"));
    assertTrue(ro.toFile().setWritable(false, false));
    if (!Files.isWritable(ro)) { // root can write anyway
      msg = assertThrows(TrackException.class, () -> RunStore.open(ro)).getMessage();
      assertTrue(msg.contains("not writable"), msg);
    }
    assertFalse(Files.exists(bad));
  }

  @Test
  void atomicWriteReplacesAndExclusiveCreateRefusesSecond() throws Exception {
    Path f = tmp.resolve("a.json");
    StoreFiles.write(f, "1".getBytes());
    StoreFiles.write(f, "2".getBytes());
    assertEquals("2", Files.readString(f));
    assertTrue(StoreFiles.createExclusive(tmp.resolve("c"), "x".getBytes()));
    assertFalse(StoreFiles.createExclusive(tmp.resolve("c"), "y".getBytes()));
    assertEquals("x", Files.readString(tmp.resolve("c")));
    try (var files = Files.list(tmp)) {
      assertEquals(2, files.count(), "no temp files left behind");
    }
  }

  @Test
  void staleLockIsBrokenAndFreshLockWaits() throws Exception {
    Path lock = tmp.resolve("lock");
    Files.writeString(lock, "dead-token " + (System.currentTimeMillis() - 60_000) + " host-1-ab");
    try (LockFile l = LockFile.acquire(lock, java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(5))) {
      assertNotNull(l);
      assertTrue(Files.readString(lock).split(" ")[0].length() > 10);
      String msg = assertThrows(TrackException.class,
          () -> LockFile.acquire(lock, java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(50))).getMessage();
      assertTrue(msg.contains("could not take lock " + lock), msg);
    }
    assertFalse(Files.exists(lock));
  }
}
