package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCheckpointsTest {
  @TempDir Path tmp;

  private static TrainerState state(long step) {
    return new TrainerState(step, 1, 2, 42, 1.5, step, 0, 1, 0);
  }

  @Test
  void roundTripsWeightsOptimizerAndState() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1, 2, 3, 4}).reshape(2, 2);
      NDArray moment = m.create(new float[] {0.5f, 0.25f});
      TrainingCheckpoints store = new TrainingCheckpoints(tmp);
      Path dir = store.save(Map.of("w", w), Map.of("exp_avg.w", moment), state(3));
      assertEquals(tmp.resolve("checkpoint-3"), dir);
      assertEquals(state(3), TrainingCheckpoints.readState(dir));
      NDArray back = m.zeros(w.getShape());
      TrainingCheckpoints.readArrays(dir.resolve(TrainingCheckpoints.WEIGHTS), Map.of("w", back));
      assertArrayEquals(w.toFloatArray(), back.toFloatArray());
      assertEquals(null, w.getName(), "the saved array's name is set on a copy");
      IOException e =
          assertThrows(
              IOException.class,
              () -> TrainingCheckpoints.readArrays(dir.resolve(TrainingCheckpoints.WEIGHTS), Map.of("v", back)));
      assertEquals(dir.resolve(TrainingCheckpoints.WEIGHTS) + ": tensor \"v\" is missing", e.getMessage());
    }
  }

  @Test
  void aCrashMidWriteLeavesTheLastGoodCheckpoint() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingCheckpoints store = new TrainingCheckpoints(tmp);
      Map<String, NDArray> w = Map.of("w", m.create(new float[] {1}));
      store.save(w, w, state(2));
      // A crash before the rename leaves a hidden temporary folder; one during a copy by hand
      // leaves a folder without a manifest, or with a file shorter than the manifest says.
      Files.createDirectories(tmp.resolve(".checkpoint-4.123"));
      Files.createDirectories(tmp.resolve("checkpoint-5"));
      Path torn = store.save(w, w, state(6));
      Files.writeString(torn.resolve(TrainingCheckpoints.WEIGHTS), "torn");
      assertEquals(Optional.of(tmp.resolve("checkpoint-2")), store.latest());
    }
  }

  @Test
  void unfinishedSavesAreRemovedOnTheNextStart() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingCheckpoints store = new TrainingCheckpoints(tmp);
      Map<String, NDArray> w = Map.of("w", m.create(new float[] {1}));
      store.save(w, w, state(2));
      Files.createDirectories(tmp.resolve(".checkpoint-4.123"));
      Files.writeString(
          Files.createDirectories(tmp.resolve(".checkpoint-6.456")).resolve("x"), "partial");
      assertEquals(2, store.removeUnfinished());
      try (var entries = Files.list(tmp)) {
        assertEquals(List.of(tmp.resolve("checkpoint-2")), entries.toList());
      }
      assertEquals(0, new TrainingCheckpoints(tmp.resolve("absent")).removeUnfinished());
    }
  }

  @Test
  void pruneKeepsTheNewestAndTheBest() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingCheckpoints store = new TrainingCheckpoints(tmp);
      Map<String, NDArray> w = Map.of("w", m.create(new float[] {1}));
      for (long step = 1; step <= 4; step++) {
        store.save(w, w, state(step));
      }
      store.prune(2, tmp.resolve("checkpoint-1"));
      assertEquals(
          List.of(tmp.resolve("checkpoint-1"), tmp.resolve("checkpoint-3"), tmp.resolve("checkpoint-4")),
          store.complete());
      assertTrue(Files.notExists(tmp.resolve("checkpoint-2")));
    }
  }
}
