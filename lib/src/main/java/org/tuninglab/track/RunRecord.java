package org.tuninglab.track;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot of a stored run, as read back for views and sweeps. The metric stream is read on
 * demand, merging every writer's file.
 *
 * @param meta what the run is
 * @param status its latest status transition
 * @param summary its summary values
 * @param artifacts artefact name to absolute path
 * @param dir its folder
 */
public record RunRecord(
    RunMeta meta, StatusRecord status, Map<String, Object> summary, Map<String, String> artifacts, Path dir) {

  private static final Logger LOG = LoggerFactory.getLogger(RunRecord.class);

  public String id() {
    return meta.id();
  }

  public String name() {
    return meta.name();
  }

  public Map<String, Object> config() {
    return meta.config();
  }

  /**
   * Every logged point, ordered by time then step; a torn last line of a killed writer is skipped,
   * and so is any other line that is not a metric point (logged as a warning naming file and line).
   */
  public List<MetricPoint> metrics() {
    return metrics(LOG::warn);
  }

  /**
   * Every logged point, as {@link #metrics()}, telling {@code onSkipped} about each corrupt line
   * ({@code "file:line: not a metric point: why"}) instead of logging it.
   */
  public List<MetricPoint> metrics(Consumer<String> onSkipped) {
    List<MetricPoint> points = new ArrayList<>();
    Path mdir = dir.resolve("metrics");
    try (Stream<Path> files = Files.list(mdir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
        readStream(f, points, onSkipped);
      }
    } catch (NoSuchFileException e) {
      return points;
    } catch (IOException e) {
      throw new TrackException("cannot list " + mdir + ": " + e, e);
    }
    points.sort(Comparator.comparingLong(MetricPoint::time).thenComparingLong(MetricPoint::step));
    return points;
  }

  /** The points of one metric; when a resumed run logged a step again, the later value wins. */
  public List<MetricPoint> history(String metric) {
    java.util.TreeMap<Long, MetricPoint> byStep = new java.util.TreeMap<>();
    for (MetricPoint p : metrics()) {
      if (p.name().equals(metric)) {
        byStep.put(p.step(), p);
      }
    }
    return List.copyOf(byStep.values());
  }

  /** The summary value of {@code metric} if numeric, else its last logged value. */
  public OptionalDouble value(String metric) {
    Object s = summary.get(metric);
    if (s instanceof Number n) {
      return OptionalDouble.of(n.doubleValue());
    }
    List<MetricPoint> h = history(metric);
    return h.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(h.get(h.size() - 1).value());
  }

  private static void readStream(Path file, List<MetricPoint> out, Consumer<String> onSkipped)
      throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    int lineNo = 0;
    for (String line : text.substring(0, end + 1).split("\n")) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        out.add(StoreJson.MAPPER.readValue(line, MetricPoint.class));
      } catch (IOException e) {
        // One bad line (a disk error, a stray edit) must not make the whole run unreadable.
        onSkipped.accept(file + ":" + lineNo + ": not a metric point, skipped: "
            + e.getMessage().lines().findFirst().orElse(""));
      }
    }
  }
}
