package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotebookSelfChecksTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A notebook with an exercise cell and one self-check cell that printed {@code stdout}. */
  private static JsonNode notebook(String stdout) throws Exception {
    return JSON.readTree("""
        {"cells": [
          {"cell_type": "code", "source": ["double x = Double.NaN;"], "outputs": [], "metadata": {"tags": ["exercise"]}},
          {"cell_type": "code", "source": ["SelfCheck.near(...)"], "metadata": {"tags": ["self-check"]},
           "outputs": [{"output_type": "stream", "name": "stdout", "text": %s}]}
        ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        """.formatted(JSON.writeValueAsString(stdout)));
  }

  @Test
  void anUntouchedExerciseMustFailAndItsSolutionMustPass() throws Exception {
    assertEquals(List.of(), NotebookSelfChecks.check(notebook("FAIL: x. Hint: compute it\n"), false));
    assertEquals(List.of(), NotebookSelfChecks.check(notebook("PASS: x\nPASS: y\n"), true));
  }

  @Test
  void aCheckThatPassesOnTheUntouchedExerciseIsReported() throws Exception {
    List<String> problems = NotebookSelfChecks.check(notebook("PASS: x\n"), false);
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("self-check in cell 2 should FAIL on the untouched exercise but printed: PASS: x"), problems.get(0));
  }

  @Test
  void aSolutionWithAnyFailingOrSilentCheckIsReported() throws Exception {
    List<String> oneFails = NotebookSelfChecks.check(notebook("PASS: x\nFAIL: y. Hint: h\n"), true);
    assertTrue(oneFails.get(0).contains("should PASS on the solution but printed: PASS: x / FAIL: y. Hint: h"), oneFails.get(0));
    List<String> silent = NotebookSelfChecks.check(notebook(""), true);
    assertTrue(silent.get(0).endsWith("printed: (nothing)"), silent.get(0));
  }
}
