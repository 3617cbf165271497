package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunedBaselineTest {

  @TempDir Path tmp;

  @Test
  void theEarlierNotebooksAdapterComesFirstThenOneOfItsOwnElseItTrains() throws Exception {
    Path earlier = tmp.resolve("02-methods-workshop-x/lora/adapter");
    Path own = tmp.resolve("03-prompting/lora/adapter");
    assertNull(TunedBaseline.reusable(Optional.empty(), own), "nothing saved: train");
    Files.createDirectories(earlier);
    assertNull(TunedBaseline.reusable(Optional.of(earlier), own), "a folder without an adapter is not one");
    Files.createDirectories(own);
    Files.writeString(own.resolve("adapter_config.json"), "{}");
    assertEquals(own, TunedBaseline.reusable(Optional.of(earlier), own));
    Files.writeString(earlier.resolve("adapter_config.json"), "{}");
    assertEquals(earlier, TunedBaseline.reusable(Optional.of(earlier), own));
  }
}
