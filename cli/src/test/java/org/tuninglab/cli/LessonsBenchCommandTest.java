package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lesson benchmark's arguments are checked before any model loads, with a clear message. */
class LessonsBenchCommandTest {
  @TempDir Path dir;

  @Test
  void aFolderWithoutAModelIsRefused() {
    StringWriter err = new StringWriter();
    int code = CliRun.run(err, "bench", "lessons", "--model", dir.resolve("no-such-model").toString());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("--model " + dir.resolve("no-such-model") + ": not a model folder"),
        err.toString());
  }

  @Test
  void aJsonPathThatCannotBeWrittenIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "");
    StringWriter err = new StringWriter();
    int code = CliRun.run(err, "bench", "lessons", "--json", file.resolve("lessons.json").toString());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("cannot write there (" + file + " is not a writable folder)"),
        err.toString());

    err = new StringWriter();
    code = CliRun.run(err, "bench", "lessons", "--json", dir.toString());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("cannot write there (it is a folder)"), err.toString());
  }

  @Test
  void badNumbersAreRefused() {
    StringWriter err = new StringWriter();
    int code = CliRun.run(err, "bench", "lessons", "--items", "0");
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("items 0"), err.toString());
  }
}
