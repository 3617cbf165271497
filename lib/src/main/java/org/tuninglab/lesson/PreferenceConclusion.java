package org.tuninglab.lesson;

import java.util.Locale;

/**
 * The conclusions notebook 08 draws, written from its run's numbers: what DPO changed (the
 * log-probability figures and the generated text), and what a smaller β changed against the
 * preset's.
 */
public final class PreferenceConclusion {
  private PreferenceConclusion() {}

  /**
   * What one DPO run changed.
   *
   * @param before the starting model's measurement
   * @param after the trained model's
   * @return three sentences with this run's numbers
   */
  public static Markdown of(PreferenceBeforeAfter.Side before, PreferenceBeforeAfter.Side after) {
    double chosenBefore = before.holdout().get("logps/chosen");
    double chosenAfter = after.holdout().get("logps/chosen");
    return new Markdown(String.format(Locale.ROOT,
        "**In this run** the holdout reward accuracy went from %.2f to %.2f and the margin from %.2f to %.2f."
            + " The chosen answers' holdout log-probability %s from %.1f to %.1f: the run made the preferred"
            + " answers %s likely. In the generated text, the preference rate went from %.2f to %.2f and the"
            + " entity F1 from %.3f to %.3f.",
        before.holdoutAccuracy(), after.holdoutAccuracy(), before.holdout().get("rewards/margins"),
        after.holdout().get("rewards/margins"), chosenAfter >= chosenBefore ? "rose" : "fell", chosenBefore,
        chosenAfter, chosenAfter >= chosenBefore ? "more" : "less", before.preferenceRate(), after.preferenceRate(),
        before.taskScore(), after.taskScore()));
  }

  /**
   * The first two runs of a β comparison against each other.
   *
   * @param betas the comparison; its first run is the reference point (the preset's β)
   * @return two sentences with this run's numbers
   */
  public static Markdown beta(BetaComparison betas) {
    BetaComparison.Setting a = betas.settings().get(0);
    BetaComparison.Setting b = betas.settings().get(1);
    double chosenA = a.after().holdout().get("logps/chosen");
    double chosenB = b.after().holdout().get("logps/chosen");
    return new Markdown(String.format(Locale.ROOT,
        "**In this run** β %s left the chosen answers %s likely than β %s did (holdout log-probability %.1f"
            + " against %.1f), with reward accuracy %.2f against %.2f. In the text: preference rate %.2f against"
            + " %.2f, entity F1 %.3f against %.3f.",
        Markdown.plain(b.beta()), chosenB >= chosenA ? "more" : "less", Markdown.plain(a.beta()), chosenB, chosenA,
        b.after().holdoutAccuracy(), a.after().holdoutAccuracy(), b.after().preferenceRate(),
        a.after().preferenceRate(), b.after().taskScore(), a.after().taskScore()));
  }
}
