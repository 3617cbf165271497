package org.tuninglab.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLocationTest {
  @TempDir Path tmp;

  @Test
  void aMissingFolderIsCreatedAndNullPasses() throws IOException {
    Path out = tmp.resolve("a/b/run");
    OutputLocation.check("trainer.output_dir", out);
    assertTrue(Files.isDirectory(out));
    try (var files = Files.list(out)) {
      assertTrue(files.findAny().isEmpty(), "the probe file is removed");
    }
    OutputLocation.check("trainer.output_dir", null);
  }

  @Test
  void aFileIsNotAFolder() throws IOException {
    Path file = Files.writeString(tmp.resolve("run"), "x");
    IOException e =
        assertThrows(IOException.class, () -> OutputLocation.check("trainer.output_dir", file));
    assertTrue(e.getMessage().startsWith("trainer.output_dir " + file + " is a file"),
        e.getMessage());
    IOException under = assertThrows(
        IOException.class, () -> OutputLocation.check("trainer.output_dir", file.resolve("sub")));
    assertTrue(under.getMessage().contains("cannot be created"), under.getMessage());
  }

  @Test
  void aReadOnlyFolderIsRefused() throws IOException {
    Path ro = Files.createDirectory(tmp.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeTrue(!Files.isWritable(ro), "root writes anywhere; nothing to test");
      IOException e =
          assertThrows(IOException.class, () -> OutputLocation.check("store", ro.resolve("x")));
      assertTrue(e.getMessage().startsWith("store " + ro.resolve("x")), e.getMessage());
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void tooLittleFreeSpaceIsNamed() {
    IOException e = assertThrows(
        IOException.class, () -> OutputLocation.check("trainer.output_dir", tmp, Long.MAX_VALUE));
    assertTrue(e.getMessage().contains("MiB free"), e.getMessage());
  }
}
