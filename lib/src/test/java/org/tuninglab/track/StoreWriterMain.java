package org.tuninglab.track;

import java.nio.file.Path;
import java.util.Map;

/** A separate OS process for {@link ConcurrentWritersTest}: logs N points to a shared run and to a run of its own. */
public final class StoreWriterMain {

  private StoreWriterMain() {}

  public static void main(String[] args) {
    RunStore store = RunStore.open(Path.of(args[0]));
    String shared = args[1];
    int points = Integer.parseInt(args[2]);
    String me = args[3];
    Run own = store.newRun().optId("own-" + me).optConfig(Map.of("writer", me)).start();
    Run sharedRun = store.resume(shared);
    for (int i = 0; i < points; i++) {
      sharedRun.log(i, "w" + me, i);
      own.log(i, "loss", 1.0 / (i + 1));
    }
    sharedRun.detach();
    own.finish(Map.of("points", points));
  }
}
