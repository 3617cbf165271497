package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkshopIndexTest {

  @Test
  void listsEachNotebookWithStatusTimeAndRelativeLinks(@TempDir Path out) throws Exception {
    Files.createDirectories(out.resolve("solutions"));
    Files.writeString(out.resolve("00-setup.html"), "<html/>");
    NotebookRun ok = new NotebookRun(Path.of("notebooks/00-setup.ipynb"), out.resolve("00-setup.ipynb"),
        out.resolve("00-setup.html"), 12.34, List.of());
    NotebookRun failed = new NotebookRun(Path.of("notebooks/solutions/06-tracking-sweeps.ipynb"),
        out.resolve("solutions/06-tracking-sweeps.ipynb"), out.resolve("solutions/06-tracking-sweeps.html"), 95,
        List.of("cell 4 [sweep]: ran 80 s without showing progress <b>"));

    Path page = WorkshopIndex.write(out, List.of(ok, failed));
    assertEquals(out.resolve("index.html"), page);
    String html = Files.readString(page);
    assertTrue(html.contains("<p>2 notebooks: 1 passed, 1 failed, 1 min 47 s in all;"), html);
    assertTrue(html.contains("<tr><td>00-setup</td><td class=\"ok\">ok</td><td class=\"num\">12.3 s</td>"
        + "<td><a href=\"00-setup.html\">HTML</a> · <a href=\"00-setup.ipynb\">.ipynb</a></td><td></td></tr>"), html);
    // No HTML copy of a failed run: only the executed notebook is linked; the problem is escaped.
    assertTrue(html.contains("<tr><td>solutions/06-tracking-sweeps</td><td class=\"failed\">FAILED</td>"
        + "<td class=\"num\">1 min 35 s</td><td><a href=\"solutions/06-tracking-sweeps.ipynb\">.ipynb</a></td>"), html);
    assertTrue(html.contains("without showing progress &lt;b&gt;"), html);
  }

  @Test
  void theTimeOfTheRunIsStated() {
    String html = WorkshopIndex.render(Path.of("/tmp/w"), List.of(), Instant.parse("2026-12-03T11:00:00.123456Z"));
    assertTrue(html.contains("0 notebooks: 0 passed, 0 failed, 0.0 s in all; run 2026-12-03T11:00:00Z."), html);
  }
}
