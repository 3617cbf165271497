package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Each worked solution in {@code notebooks/solutions/} is its notebook with the exercise cells
 * (tagged {@code exercise}) filled in, and nothing else changed; every exercise has a self-check.
 * (That the self-checks fail on the exercises and pass on the solutions is checked when the
 * workshop runs them.)
 */
class NotebookSolutionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everySolutionDiffersFromItsNotebookOnlyInTheExerciseCells() throws Exception {
    Path notebooks = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent().resolve("notebooks");
    var solutions = Workshop.notebooks(notebooks.resolve(Workshop.SOLUTIONS));
    assertFalse(solutions.isEmpty(), "no solutions under " + notebooks.resolve(Workshop.SOLUTIONS));
    for (Path solution : solutions) {
      Path exercise = notebooks.resolve(solution.getFileName());
      assertTrue(Files.isRegularFile(exercise), solution + " has no notebook " + exercise);
      JsonNode ex = JSON.readTree(exercise.toFile()).path("cells");
      JsonNode so = JSON.readTree(solution.toFile()).path("cells");
      assertEquals(ex.size(), so.size(), solution + ": cell count");
      int exercises = 0;
      int checks = 0;
      for (int i = 0; i < ex.size(); i++) {
        String where = solution.getFileName() + " cell " + (i + 1);
        assertEquals(ex.get(i).path("metadata").path("tags"), so.get(i).path("metadata").path("tags"), where + ": tags");
        String a = NotebookExpectations.joined(ex.get(i).path("source"));
        String b = NotebookExpectations.joined(so.get(i).path("source"));
        if (hasTag(ex.get(i), "exercise")) {
          exercises++;
          assertNotEquals(a, b, where + ": the solution leaves the exercise as it is");
        } else {
          assertEquals(a, b, where + ": only exercise cells may differ");
        }
        checks += NotebookSelfChecks.isSelfCheck(ex.get(i)) ? 1 : 0;
      }
      assertTrue(exercises >= 1 && exercises <= 3, solution + ": 1 to 3 exercises, found " + exercises);
      assertTrue(checks >= exercises, solution + ": each exercise needs a self-check cell");
    }
  }

  private static boolean hasTag(JsonNode cell, String tag) {
    for (JsonNode t : cell.path("metadata").path("tags")) {
      if (t.asText().equals(tag)) {
        return true;
      }
    }
    return false;
  }
}
