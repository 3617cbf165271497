package org.tuninglab.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Entity-level precision, recall or F1 of the entities a reply names against the example's gold
 * entities, micro-averaged: true positives, predicted and gold entities are summed over examples
 * first, then {@code P = tp / predicted}, {@code R = tp / gold}, {@code F1 = 2PR / (P + R)}.
 *
 * <p>Entities compare as sets per example after lower-casing, trimming and collapsing whitespace (a
 * repeated entity counts once). A ratio with nothing to divide by is 1: predicting nothing has no
 * false positives (P = 1), and with no gold entities nothing was missed (R = 1); F1 is 0 when P + R
 * is 0. The per-example value is the same quantity on that example alone.
 */
public final class EntityOverlap implements Metric {

  /** Which of the three numbers the metric reports. */
  public enum Kind {
    /** True positives over predicted entities. */
    PRECISION,
    /** True positives over gold entities. */
    RECALL,
    /** The harmonic mean of precision and recall. */
    F1
  }

  private final Kind kind;
  private final EntityExtractor extractor;

  private EntityOverlap(Kind kind, EntityExtractor extractor) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.extractor = Objects.requireNonNull(extractor, "extractor");
  }

  /**
   * Micro-averaged entity precision, named {@code entity_precision}.
   *
   * @param extractor reads a reply's entities
   * @return the metric
   */
  public static EntityOverlap precision(EntityExtractor extractor) {
    return new EntityOverlap(Kind.PRECISION, extractor);
  }

  /**
   * Micro-averaged entity recall, named {@code entity_recall}.
   *
   * @param extractor reads a reply's entities
   * @return the metric
   */
  public static EntityOverlap recall(EntityExtractor extractor) {
    return new EntityOverlap(Kind.RECALL, extractor);
  }

  /**
   * Micro-averaged entity F1, named {@code entity_f1}.
   *
   * @param extractor reads a reply's entities
   * @return the metric
   */
  public static EntityOverlap f1(EntityExtractor extractor) {
    return new EntityOverlap(Kind.F1, extractor);
  }

  @Override
  public String name() {
    return "entity_" + kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void check(List<LabelledExample> examples) {
    for (LabelledExample e : examples) {
      if (e.entities() == null) {
        throw new IllegalArgumentException(
            "example '"
                + e.id()
                + "' has no field 'entities'; metric "
                + name()
                + " needs gold entities on every example");
      }
    }
  }

  @Override
  public ExampleScore score(ExampleReply reply) {
    LabelledExample e = reply.example();
    if (e.entities() == null) {
      throw new IllegalArgumentException(
          "example '" + e.id() + "' has no field 'entities'; metric " + name() + " needs it");
    }
    Set<String> gold = normalized(e.entities());
    Set<String> predicted = normalized(extractor.extract(reply.reply()));
    Set<String> hits = new HashSet<>(predicted);
    hits.retainAll(gold);
    double[] totals = {hits.size(), predicted.size(), gold.size()};
    return new ExampleScore(value(totals), totals);
  }

  @Override
  public double aggregate(double[] totals, int count) {
    return count == 0 ? Double.NaN : value(totals);
  }

  private double value(double[] totals) {
    double tp = totals[0];
    double p = totals[1] == 0 ? 1 : tp / totals[1];
    double r = totals[2] == 0 ? 1 : tp / totals[2];
    return switch (kind) {
      case PRECISION -> p;
      case RECALL -> r;
      case F1 -> p + r == 0 ? 0 : 2 * p * r / (p + r);
    };
  }

  private static Set<String> normalized(List<String> entities) {
    Set<String> out = new HashSet<>();
    for (String s : entities) {
      String n = s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
      if (!n.isEmpty()) {
        out.add(n);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return name();
  }
}
