package org.tuninglab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.tuninglab.io.AtomicFiles;

/**
 * {@code target/workshop/index.html}: one page listing the executed notebooks, each with its
 * status, its time and links to its HTML and executed copies, and what went wrong where it failed.
 */
final class WorkshopIndex {

  static final String FILE_NAME = "index.html";

  private WorkshopIndex() {}

  /** Writes the page into {@code outDir} (links relative to it) and returns its path. */
  static Path write(Path outDir, List<NotebookRun> runs) throws IOException {
    Path page = outDir.resolve(FILE_NAME);
    AtomicFiles.writeString(page, render(outDir, runs, Instant.now()));
    return page;
  }

  static String render(Path outDir, List<NotebookRun> runs, Instant when) {
    long failed = runs.stream().filter(r -> !r.passed()).count();
    double seconds = runs.stream().mapToDouble(NotebookRun::seconds).sum();
    StringBuilder html = new StringBuilder("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Tuning Lab workshop</title>
        <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
        td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}td.num{text-align:right}
        .ok{color:#15803d}.failed{color:#b91c1c;font-weight:bold}ul{margin:0;padding-left:1.2em}</style>
        </head><body>
        <h1>Tuning Lab workshop</h1>
        """);
    html.append(String.format(Locale.ROOT, "<p>%d notebooks: %d passed, %d failed, %s in all; run %s.</p>%n",
        runs.size(), runs.size() - failed, failed, duration(seconds), when.truncatedTo(ChronoUnit.SECONDS)));
    html.append("<table><tr><th>notebook</th><th>status</th><th>time</th><th>open</th><th>problems</th></tr>\n");
    for (NotebookRun run : runs) {
      Path executed = outDir.toAbsolutePath().relativize(run.executed().toAbsolutePath());
      Path page = outDir.toAbsolutePath().relativize(run.html().toAbsolutePath());
      html.append("<tr><td>").append(escape(executed.toString().replaceFirst("\\.ipynb$", ""))).append("</td>");
      html.append(run.passed() ? "<td class=\"ok\">ok</td>" : "<td class=\"failed\">FAILED</td>");
      html.append("<td class=\"num\">").append(duration(run.seconds())).append("</td><td>");
      if (Files.isRegularFile(run.html())) {
        html.append("<a href=\"").append(link(page)).append("\">HTML</a> · ");
      }
      html.append("<a href=\"").append(link(executed)).append("\">.ipynb</a></td><td>");
      if (!run.problems().isEmpty()) {
        html.append("<ul>");
        run.problems().forEach(p -> html.append("<li><pre>").append(escape(p)).append("</pre></li>"));
        html.append("</ul>");
      }
      html.append("</td></tr>\n");
    }
    return html.append("</table>\n</body></html>\n").toString();
  }

  private static String duration(double seconds) {
    long whole = Math.round(seconds);
    return seconds < 60 ? String.format(Locale.ROOT, "%.1f s", seconds)
        : String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
  }

  private static String link(Path relative) {
    return escape(relative.toString().replace('\\', '/'));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
