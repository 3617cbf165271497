package org.tuninglab.track.view;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.tuninglab.track.StoreFiles;
import org.tuninglab.track.TrackException;
import tech.tablesaw.api.Table;

/** Writes a view table as CSV, atomically (a reader never sees half a file). */
public final class CsvExport {

  private CsvExport() {}

  public static Path write(Table table, Path file) {
    StringWriter out = new StringWriter();
    try {
      table.write().csv(out);
    } catch (RuntimeException e) {
      throw new TrackException("cannot format table " + table.name() + " as CSV: " + e, e);
    }
    StoreFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** The CSV text of a table. */
  public static String text(Table table) {
    StringWriter out = new StringWriter();
    table.write().csv(out);
    return out.toString();
  }
}
