package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookExpectationsTest {

  private static final String EXECUTED = """
      {"cells": [
        {"cell_type": "code", "metadata": {"tags": ["table"]}, "outputs": [
          {"output_type": "execute_result", "data": {"text/html": ["<table>", "<tr></tr></table>"]}}]},
        {"cell_type": "code", "metadata": {"tags": ["log"]}, "outputs": [
          {"output_type": "stream", "name": "stdout", "text": "Engine PyTorch 2.7.1\\n"}]}
      ]}
      """;

  @Test
  void passesWhenEveryTaggedCellHasItsOutput(@TempDir Path dir) throws Exception {
    NotebookExpectations expectations = write(dir, """
        {"a.ipynb": [{"tag": "table", "mime": "text/html", "contains": "<tr></tr>"},
                     {"tag": "log", "mime": "stdout", "contains": "PyTorch"}]}
        """);
    assertEquals(List.of(), expectations.check("a.ipynb", executed(dir)));
  }

  @Test
  void reportsMissingOutputsCellsAndEntries(@TempDir Path dir) throws Exception {
    NotebookExpectations expectations = write(dir, """
        {"a.ipynb": [{"tag": "table", "mime": "image/png"},
                     {"tag": "chart", "mime": "image/png"},
                     {"mime": "text/html"}]}
        """);
    List<String> problems = expectations.check("a.ipynb", executed(dir));
    assertEquals("cell 'table' has no image/png output", problems.get(0));
    assertEquals("no cell tagged 'chart'", problems.get(1));
    assertTrue(problems.get(2).contains("lacks its 'tag' or 'mime'"));
    assertTrue(expectations.check("b.ipynb", executed(dir)).get(0).startsWith("no entry for b.ipynb"));
  }

  @Test
  void aMissingManifestIsAClearError(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NotebookExpectations.load(dir));
    assertTrue(e.getMessage().startsWith("Missing "));
  }

  private static NotebookExpectations write(Path dir, String manifest) throws Exception {
    Files.writeString(dir.resolve(NotebookExpectations.FILE_NAME), manifest);
    return NotebookExpectations.load(dir);
  }

  private static Path executed(Path dir) throws Exception {
    return Files.writeString(dir.resolve("executed.ipynb"), EXECUTED);
  }
}
