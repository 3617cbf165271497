package org.tuninglab.eval.view;

import java.util.List;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.Judge;
import org.tuninglab.eval.WinRate;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Win rates of an evaluation's strategies against each other. */
public final class WinRateTable {
  private WinRateTable() {}

  /**
   * Win rates of every pair of strategies, each pair once, the earlier-added strategy first:
   * columns {@code first}, {@code second}, {@code wins}, {@code ties}, {@code losses}, {@code
   * skipped}, {@code win_rate}.
   *
   * @param result the evaluation
   * @param judge decides each pair of replies
   * @return the table, named "win rates"
   */
  public static Table of(EvalResult result, Judge judge) {
    List<String> strategies = result.strategies();
    StringColumn first = StringColumn.create("first");
    StringColumn second = StringColumn.create("second");
    IntColumn wins = IntColumn.create("wins");
    IntColumn ties = IntColumn.create("ties");
    IntColumn losses = IntColumn.create("losses");
    IntColumn skipped = IntColumn.create("skipped");
    DoubleColumn rate = DoubleColumn.create("win_rate");
    for (int i = 0; i < strategies.size(); i++) {
      for (int j = i + 1; j < strategies.size(); j++) {
        WinRate w = result.winRate(strategies.get(i), strategies.get(j), judge);
        first.append(w.first());
        second.append(w.second());
        wins.append(w.wins());
        ties.append(w.ties());
        losses.append(w.losses());
        skipped.append(w.skipped());
        rate.append(w.rate());
      }
    }
    return Table.create("win rates", first, second, wins, ties, losses, skipped, rate);
  }
}
