package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotebookOutputCheckTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A notebook whose second code cell has the given outputs (JSON array text) and ran
   * {@code seconds}; its first code cell, which also waits for the kernel to start, ran 9 s.
   */
  private static JsonNode notebook(String outputs, double seconds) throws Exception {
    String end = String.format(java.util.Locale.ROOT, "2026-12-03T10:00:%09.6fZ", seconds);
    return JSON.readTree("""
        {"cells": [
          {"cell_type": "markdown", "source": ["# 0.18181818181818182 in prose is not an output"], "metadata": {}},
          {"cell_type": "code", "source": ["1"], "outputs": [], "metadata": {"execution": {
             "iopub.execute_input": "2026-12-03T09:59:00.000000Z", "shell.execute_reply": "2026-12-03T09:59:09.000000Z"}}},
          {"cell_type": "code", "source": ["var x = run();\\n", "x"], "outputs": %s,
           "metadata": {"tags": ["compare"], "execution": {
             "iopub.execute_input": "2026-12-03T10:00:00.000000Z", "shell.execute_reply": "%s"}}}
        ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        """.formatted(outputs, end));
  }

  private static String stream(String text) throws Exception {
    return "{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": " + JSON.writeValueAsString(text) + "}";
  }

  private static String result(String mime, String text) throws Exception {
    return "{\"output_type\": \"execute_result\", \"execution_count\": 1, \"metadata\": {}, \"data\": {"
        + JSON.writeValueAsString(mime) + ": " + JSON.writeValueAsString(text) + "}}";
  }

  @Test
  void readableOutputPasses() throws Exception {
    String table = "<table><tr><th>loss</th><th>time (s)</th></tr><tr><td>1.912</td><td>32.97</td></tr></table>"
        + "<svg><polyline points=\"0.0,12.345678 1.234567,3.3\"/></svg>";
    List<String> problems = NotebookOutputCheck.check(notebook("[" + stream("loss 1.9123 after 200 steps, 1,312,384 params, v1.2.34567\n")
        + ", " + result("text/html", table) + "]", 1.5));
    assertEquals(List.of(), problems);
  }

  @Test
  void longDoublesAreFlaggedWithTheCellNamed() throws Exception {
    List<String> problems = NotebookOutputCheck.check(notebook("[" + stream("loss 6.986488695886317\ntook 32972.953516 ms\n") + "]", 1));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("cell 3 [compare] (var x = run();): numbers with more than 6 significant digits: "
        + "6.986488695886317, 32972.953516"), problems.get(0));
  }

  @Test
  void hiddenInHtmlAttributesNumbersAreNotFlaggedButCellTextIs() throws Exception {
    List<String> problems = NotebookOutputCheck.check(notebook("[" + result("text/html",
        "<td style=\"width:12.3456789px\">0.18181818181818182</td>") + "]", 1));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).endsWith(": 0.18181818181818182"), problems.get(0));
  }

  @Test
  void identityPrintsAreFlagged() throws Exception {
    List<String> problems = NotebookOutputCheck.check(notebook("[" + result("text/plain", "[I@962fe4b") + ", "
        + stream("model: org.tuninglab.model.TinyLlama@1b2c3d4f\nmail me at a@bc\n") + "]", 1));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).endsWith("objects printed as Type@hash: [I@962fe4b, org.tuninglab.model.TinyLlama@1b2c3d4f"),
        problems.get(0));
  }

  @Test
  void stackTracesAndErrorOutputsAreFlagged() throws Exception {
    String trace = "java.lang.IllegalStateException: bad\n\tat org.tuninglab.Foo.bar(Foo.java:12)\n";
    String error = "{\"output_type\": \"error\", \"ename\": \"IOException\", \"evalue\": \"disk\", \"traceback\": []}";
    List<String> problems = NotebookOutputCheck.check(notebook("[" + stream(trace) + ", " + error + "]", 1));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).endsWith("a stack trace in its output: at org.tuninglab.Foo.bar(Foo.java:12)"), problems.get(0));
    assertTrue(problems.get(1).endsWith(": error IOException: disk"), problems.get(1));
  }

  @Test
  void aLongCellNeedsProgress() throws Exception {
    List<String> silent = NotebookOutputCheck.check(notebook("[" + stream("done\n") + "]", 7.5));
    assertEquals(1, silent.size(), silent.toString());
    assertTrue(silent.get(0).endsWith("ran 7 s without showing progress (LiveProgress, or n/N with an ETA)"), silent.get(0));

    String live = "<div class=\"tuninglab-progress\"><b>LoRA</b> step 200/200 (100%) · ETA 0:00</div>";
    assertEquals(List.of(), NotebookOutputCheck.check(notebook("[{\"output_type\": \"display_data\", \"metadata\": {}, "
        + "\"data\": {\"text/html\": " + JSON.writeValueAsString(live) + "}}]", 7.5)));
    assertEquals(List.of(), NotebookOutputCheck.check(notebook("[" + stream("scoring 3 of 12 prompts, ETA 0:41\n") + "]", 7.5)));
    assertEquals(List.of(), NotebookOutputCheck.check(notebook("[" + stream("done\n") + "]", 4.9)), "a short cell needs none");
  }
}
