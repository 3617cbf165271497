package org.tuninglab.lesson;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * DPO runs that differ only in β, each measured after training, side by side (notebook 08: the
 * preset's β and TRL's default 0.1). {@link PreferenceConclusion#beta} writes what they show.
 *
 * @param settings one per run, in the order given
 */
public record BetaComparison(List<Setting> settings) {

  /**
   * One run.
   *
   * @param beta its β
   * @param after its measurement after training
   */
  public record Setting(double beta, PreferenceBeforeAfter.Side after) {}

  /** Checks there are at least two runs. */
  public BetaComparison {
    settings = List.copyOf(settings);
    if (settings.size() < 2) {
      throw new IllegalArgumentException("a β comparison needs at least two runs, got " + settings.size());
    }
  }

  /**
   * The runs, each already trained and measured ({@link PreferenceBeforeAfter#after()}).
   *
   * @param runs e.g. the notebook's run and {@code run.withBeta(0.1, dir)}
   * @return the comparison
   * @throws IllegalStateException if a run was not measured after training
   */
  public static BetaComparison of(PreferenceBeforeAfter... runs) {
    return new BetaComparison(Arrays.stream(runs).map(r -> new Setting(r.beta(), r.measuredAfter())).toList());
  }

  /** One row per β: holdout reward accuracy and chosen log-probability, preference rate, entity F1. */
  public Table table() {
    return Table.create("beta, measured in this run",
        column("beta", Setting::beta),
        column("holdout rewards/accuracies", s -> s.after().holdoutAccuracy()),
        column("holdout logps/chosen", s -> s.after().holdout().get("logps/chosen")),
        column("preference_rate", s -> s.after().preferenceRate()),
        column("entity_f1", s -> s.after().taskScore()));
  }

  private DoubleColumn column(String name, ToDoubleFunction<Setting> value) {
    return DoubleColumn.create(name, settings.stream().mapToDouble(value).toArray());
  }
}
