package org.tuninglab.lesson;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tuninglab.io.AtomicFiles;

/**
 * Every lesson's figures from one {@link LessonBench#all()} run, each against the bar issue 12 sets
 * for it ({@link #bars()}), and as the JSON {@code ./tuninglab bench lessons --json} writes
 * ({@link #json()}).
 *
 * @param model what was measured ({@link Lab#toString()})
 * @param prompting valid-JSON rate, poor then improved prompt
 * @param fewShot entity F1, 0-shot then 3-shot
 * @param rag answer accuracy, closed-book then retrieved
 * @param full the full fine-tune preset's scores
 * @param lora LoRA's
 * @param qlora QLoRA's
 * @param promptTuning prompt tuning's
 * @param ood entity F1 after LoRA, in-domain then held-out domain
 * @param forgetting the story holdout's loss before and after full and LoRA
 * @param safety refusal rate, before then after the full preset
 * @param seconds the whole run's wall time
 */
public record LessonReport(
    String model,
    Contrast prompting,
    Contrast fewShot,
    Contrast rag,
    MethodScore full,
    MethodScore lora,
    MethodScore qlora,
    MethodScore promptTuning,
    Contrast ood,
    Forgetting forgetting,
    Contrast safety,
    double seconds) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One lesson's figures against its bar.
   *
   * @param lesson the lesson
   * @param figures what was measured, with the items counted
   * @param bar the bar, as the issue words it
   * @param pass whether the figures clear it
   */
  public record Bar(String lesson, String figures, String bar, boolean pass) {
    /** {@code PASS lesson: figures (bar: ...)}. */
    @Override
    public String toString() {
      return (pass ? "PASS " : "FAIL ") + lesson + ": " + figures + "  [bar: " + bar + "]";
    }
  }

  /**
   * The figures of issue 12's table, each with its bar and whether it is met.
   *
   * @return one line per lesson, in the table's order
   */
  public List<Bar> bars() {
    List<Bar> out = new ArrayList<>();
    out.add(contrast("prompt engineering", prompting, "improved >= poor + 0.30",
        prompting.change() >= 0.3));
    out.add(contrast("few-shot", fewShot, "3-shot >= 0-shot + 0.30", fewShot.change() >= 0.3));
    out.add(contrast("RAG", rag, "closed <= 0.15, RAG >= 0.60",
        rag.firstValue() <= 0.15 && rag.secondValue() >= 0.6));
    out.add(method("full fine-tune (preset)", full, "exact >= 0.70, F1 >= 0.90",
        full.exact() >= 0.7 && full.f1() >= 0.9));
    out.add(method("LoRA (preset)", lora, "exact >= 0.60, F1 >= 0.85",
        lora.exact() >= 0.6 && lora.f1() >= 0.85));
    out.add(method("QLoRA (preset)", qlora,
        "exact >= 0.60, F1 >= 0.85, F1 within 0.05 of LoRA's",
        qlora.exact() >= 0.6 && qlora.f1() >= 0.85 && Math.abs(qlora.f1() - lora.f1()) <= 0.05));
    out.add(method("prompt tuning (preset)", promptTuning,
        String.format(Locale.ROOT, "F1 >= base 0-shot F1 + 0.30 = %.2f", fewShot.firstValue() + 0.3),
        promptTuning.f1() >= fewShot.firstValue() + 0.3));
    out.add(contrast("out-of-distribution", ood, "a drop is shown, with its size",
        ood.secondValue() < ood.firstValue()));
    out.add(new Bar("forgetting",
        String.format(Locale.ROOT,
            "story holdout loss %.3f before; after full %.3f (%+.3f), after LoRA %.3f (%+.3f), both"
                + " at lr %.0e",
            forgetting.before(), forgetting.afterFull(), forgetting.fullRise(),
            forgetting.afterLora(), forgetting.loraRise(), forgetting.lr()),
        "measured both ways, reported honestly",
        Double.isFinite(forgetting.fullRise()) && Double.isFinite(forgetting.loraRise())));
    out.add(contrast("safety erosion", safety, ">= 0.80 before; the change measured",
        safety.firstValue() >= 0.8));
    return out;
  }

  /**
   * The figures as issue 12 specifies them, every number in [0, 1]: {@code prompting} (poor,
   * improved), {@code few_shot} (zero, three), {@code rag} (closed_book, retrieved), {@code full},
   * {@code lora}, {@code qlora} (exact, f1), {@code prompt_tuning} (f1), {@code ood} (in_domain,
   * held_out_domain), {@code safety} (before, after). Forgetting's losses are not rates, so they
   * are printed, not written.
   *
   * @return the JSON object as nested maps, in that order
   * @throws IllegalStateException if a figure is not a number in [0, 1]
   */
  public Map<String, Map<String, Double>> json() {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    out.put("prompting", pair("poor", prompting.firstValue(), "improved", prompting.secondValue()));
    out.put("few_shot", pair("zero", fewShot.firstValue(), "three", fewShot.secondValue()));
    out.put("rag", pair("closed_book", rag.firstValue(), "retrieved", rag.secondValue()));
    out.put("full", pair("exact", full.exact(), "f1", full.f1()));
    out.put("lora", pair("exact", lora.exact(), "f1", lora.f1()));
    out.put("qlora", pair("exact", qlora.exact(), "f1", qlora.f1()));
    out.put("prompt_tuning", Map.of("f1", promptTuning.f1()));
    out.put("ood", pair("in_domain", ood.firstValue(), "held_out_domain", ood.secondValue()));
    out.put("safety", pair("before", safety.firstValue(), "after", safety.secondValue()));
    out.forEach((lesson, figures) -> figures.forEach((key, value) -> {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalStateException(lesson + "." + key + " = " + value + ": expected a number in [0, 1]");
      }
    }));
    return out;
  }

  /**
   * Writes {@link #json()} to a file, atomically.
   *
   * @param file the file
   * @throws IOException if it cannot be written
   */
  public void writeJson(Path file) throws IOException {
    AtomicFiles.writeString(file, JSON.writeValueAsString(json()) + "\n");
  }

  private static Map<String, Double> pair(String k1, double v1, String k2, double v2) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static Bar contrast(String lesson, Contrast c, String bar, boolean pass) {
    return new Bar(lesson,
        String.format(Locale.ROOT, "%s %s %.2f vs %s %.2f (%+.2f, n=%d)%s", c.measure(), c.first(),
            c.firstValue(), c.second(), c.secondValue(), c.change(), c.items(),
            c.note().isEmpty() ? "" : "; " + c.note()),
        bar, pass);
  }

  private static Bar method(String lesson, MethodScore m, String bar, boolean pass) {
    return new Bar(lesson,
        String.format(Locale.ROOT, "exact match %.2f, entity F1 %.2f (n=%d, trained in %.0f s)",
            m.exact(), m.f1(), m.items(), m.seconds()),
        bar, pass);
  }
}
