package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.EncodedPair;
import org.tuninglab.data.PreferenceCollator;
import org.tuninglab.data.SftCollator;
import org.tuninglab.io.ResidentMemory;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.preference.PreferenceLoss;
import org.tuninglab.preference.PreferenceObjective;
import org.tuninglab.preference.ReferenceLogProbs;
import org.tuninglab.preference.ReferenceModel;
import org.tuninglab.train.AdamW;
import org.tuninglab.train.AdamWConfig;
import org.tuninglab.train.DpoConfig;
import org.tuninglab.train.DpoObjective;
import org.tuninglab.train.DpoRecipe;
import org.tuninglab.train.LossScaler;
import org.tuninglab.train.SftObjective;
import org.tuninglab.train.TrainingObjective;
import org.tuninglab.train.TrainingStep;

/**
 * What a DPO step costs against an SFT step on the same model and batch: the trainer's own {@link
 * TrainingStep} (forward, backward, clipping, AdamW) with the SFT objective on the batch's chosen
 * answers, with DPO and its reference scored in the step (the LoRA base, adapters off), and with
 * DPO on reference log-probabilities precomputed before the step. Each variant runs in a JVM of its
 * own, so its peak resident set is its own; the step time is the median of the timed steps.
 */
public final class DpoStepCost {
  /** The start of the child's result line on stdout. */
  static final String RECORD_PREFIX = "dpo-step-cost ";

  // The children hold the tiny model and 8 pairs; their fixed, pre-touched heap is resident before
  // the measured growth starts, which is then libtorch's allocations and little else.
  private static final String CHILD_HEAP = "256m";

  /** The variants, in the order they are measured. */
  public static final List<String> VARIANTS = List.of("sft", "dpo_live", "dpo_precomputed");

  private static final ObjectMapper JSON = new ObjectMapper();

  private DpoStepCost() {}

  /**
   * One variant's cost.
   *
   * @param variant sft, dpo_live or dpo_precomputed
   * @param rows sequences in the step's forward pass (a DPO step reads both answers)
   * @param stepMs the median step time, milliseconds
   * @param peakBytes the peak resident set minus the resident set before the model loaded
   * @param precomputeSeconds the time to score the batch under the reference once (precomputed
   *     only; 0 otherwise)
   */
  public record Row(String variant, int rows, double stepMs, long peakBytes, double precomputeSeconds) {}

  /**
   * Measures every variant, each in a child JVM.
   *
   * @param configFile the DPO config whose model (a local folder), pairs, loss and LoRA settings
   *     are used
   * @param pairs pairs in the batch
   * @param steps timed steps (after one untimed warm-up step)
   * @return the rows, in {@link #VARIANTS}' order
   * @throws IOException if a child fails
   */
  public static List<Row> measure(Path configFile, int pairs, int steps) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String variant : VARIANTS) {
      // A fixed, pre-touched heap and 4 KiB pages, as the other peak-memory children measure.
      String line =
          ResidentMemory.measuringChild(
              "the " + variant + " step", CHILD_HEAP, false, DpoStepCost.class,
              List.of(variant, configFile.toString(), String.valueOf(pairs), String.valueOf(steps)),
              RECORD_PREFIX);
      rows.add(JSON.readValue(line, Row.class));
    }
    return rows;
  }

  /**
   * The child's entry point.
   *
   * @param args the variant, the DPO config file, pairs in the batch, timed steps
   * @throws IOException if the model, the pairs or {@code /proc/self/status} cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4 || !VARIANTS.contains(args[0])) {
      throw new IllegalArgumentException(
          "usage: DpoStepCost " + VARIANTS + " DPO_CONFIG PAIRS STEPS (started by DpoStepCost.measure)");
    }
    DpoConfig config = org.tuninglab.train.DpoConfigFile.load(Path.of(args[1]));
    Row row = child(args[0], config, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    System.out.println(RECORD_PREFIX + JSON.writeValueAsString(row));
  }

  private static Row child(String variant, DpoConfig config, int pairs, int steps) throws IOException {
    long residentBefore = ResidentMemory.current();
    LoraConfig lora =
        config.lora() != null ? config.lora() : LoraConfig.builder().setR(8).optDropout(0).build();
    try (PretrainedModel pretrained =
            PretrainedModel.load(Path.of(config.model()), Device.cpu(), DataType.FLOAT32);
        AdaptedModel adapted = MethodSpec.lora(lora).apply(pretrained)) {
      PreferenceCollator collator = DpoRecipe.collator(config.data(), pretrained);
      List<EncodedPair> batch =
          collator.encodeAll(DpoRecipe.split(config.data(), collator, config.trainer().seed()).train())
              .subList(0, pairs);
      Map<String, NDArray> trainable = new LinkedHashMap<>();
      for (NamedArray a : adapted.trainableArrays()) {
        trainable.put(a.name(), a.array());
        a.array().setRequiresGradient(true);
      }
      PreferenceLoss loss = config.loss().needsReference() ? config.loss() : PreferenceLoss.dpo();
      double precompute = 0;
      int rows = 2 * pairs;
      List<Double> ms;
      try (AdamW adamw = new AdamW(trainable, AdamWConfig.DEFAULT)) {
        if (variant.equals("sft")) {
          SftCollator sft =
              SftCollator.builder()
                  .setTokenizer(pretrained.tokenizer())
                  .setMaxLength(config.data().maxLength())
                  .build();
          List<EncodedExample> chosen = batch.stream().map(EncodedPair::chosen).toList();
          rows = pairs;
          ms = time(adapted, trainable, new SftObjective(sft), chosen, adamw, steps);
        } else {
          ReferenceModel reference = ReferenceModel.of(adapted);
          PreferenceObjective objective;
          if (variant.equals("dpo_live")) {
            objective = PreferenceObjective.withReference(loss, reference);
          } else {
            ReferenceLogProbs logps =
                ReferenceLogProbs.compute(reference, collator, batch, pairs, pretrained.model().manager());
            precompute = logps.seconds();
            objective = PreferenceObjective.withPrecomputed(loss, logps);
          }
          ms = time(adapted, trainable, new DpoObjective(objective, collator), batch, adamw, steps);
        }
      }
      long peak = ResidentMemory.peak() - residentBefore;
      return new Row(variant, rows, UpperMedian.of(ms), peak, precompute);
    }
  }

  /** One untimed step, then {@code steps} timed ones of the trainer's update. */
  private static <E> List<Double> time(
      AdaptedModel model, Map<String, NDArray> trainable, TrainingObjective<E> objective,
      List<E> batch, AdamW adamw, int steps) {
    TrainingStep<E> step =
        new TrainingStep<>(model, trainable, model.base().manager(), objective, 1.0);
    List<Double> ms = new ArrayList<>();
    model.setTraining(true);
    for (int i = -1; i < steps; i++) {
      long start = System.nanoTime();
      step.run(List.of(batch), 1e-4, LossScaler.disabled(), adamw);
      if (i >= 0) {
        ms.add((System.nanoTime() - start) / 1e6);
      }
    }
    return ms;
  }
}
