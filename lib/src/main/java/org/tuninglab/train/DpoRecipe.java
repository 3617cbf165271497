package org.tuninglab.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.data.DatasetFormatException;
import org.tuninglab.data.EncodedPair;
import org.tuninglab.data.PreferenceCollator;
import org.tuninglab.data.PreferenceFiles;
import org.tuninglab.data.PreferencePair;
import org.tuninglab.data.Split;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.preference.PreferenceObjective;
import org.tuninglab.preference.ReferenceLogProbs;
import org.tuninglab.preference.ReferenceModel;

/**
 * Preference optimisation (DPO, IPO or SimPO), top to bottom: load the model to start from (an
 * SFT model, or a base with an SFT adapter merged in), load and split the pairs, render both
 * answers through the chat template, choose what trains and the reference, run the same trainer
 * as SFT, save the result. Shared by notebooks, the CLI ({@code ./tuninglab train CONFIG} with
 * {@code stage: dpo}) and Slurm jobs; rerunning with the same output folder resumes.
 */
public final class DpoRecipe {
  private DpoRecipe() {}

  /**
   * Loads the config's model on the default device and trains it on the preference pairs.
   *
   * @param config the run
   * @param listeners progress listeners
   * @return what the run did
   * @throws IOException if the model, the data or a checkpoint cannot be read or written
   */
  public static DpoResult run(DpoConfig config, TrainingListener... listeners) throws IOException {
    try (PretrainedModel pretrained = RecipeModel.load(config.model(), config.precision())) {
      return run(config, pretrained, listeners);
    }
  }

  /**
   * Trains an already loaded model (a notebook keeps it to compare before and after).
   *
   * @param config the run; its {@code model} field is not used
   * @param pretrained the model to start from; an SFT adapter is merged into it, and a full
   *     fine-tune trains its weights in place
   * @param listeners progress listeners
   * @return what the run did
   * @throws IOException if the data, the adapter or a checkpoint cannot be read or written
   */
  public static DpoResult run(DpoConfig config, PretrainedModel pretrained, TrainingListener... listeners)
      throws IOException {
    TrainerConfig settings = config.trainer();

    // 1. The model to start from: the policy and its reference are both this model.
    if (config.sftAdapter() != null) {
      LoraModel.load(config.sftAdapter(), pretrained.model()).mergeAndUnload();
    }

    // 2. Pairs, validated (an empty side, equal answers, a prompt over its budget), split with the
    //    run's seed; both answers rendered after the prompt's chat template.
    PreferenceCollator collator = collator(config.data(), pretrained);
    Split<PreferencePair> split = split(config.data(), collator, settings.seed());
    List<EncodedPair> train = collator.encodeAll(split.train());
    List<EncodedPair> holdout = collator.encodeAll(split.holdout());

    TrainingResult result;
    RecipeModel.Saved saved;
    String described;
    double referenceSeconds = 0;

    // 3. What trains, as for SFT; the reference is the starting policy (adapters off, or a copy).
    try (AdaptedModel adapted = config.method().apply(pretrained);
        ReferenceModel reference =
            config.reference() == ReferenceChoice.NONE ? null : ReferenceModel.of(adapted)) {
      PreferenceObjective objective;
      if (config.reference() == ReferenceChoice.NONE) {
        objective = PreferenceObjective.referenceFree(config.loss());
      } else if (config.reference() == ReferenceChoice.PRECOMPUTED) {
        List<EncodedPair> all = new ArrayList<>(train);
        all.addAll(holdout);
        ReferenceLogProbs logps =
            ReferenceLogProbs.compute(
                reference, collator, all, settings.batchSize(), pretrained.model().manager());
        referenceSeconds = logps.seconds();
        reference.close(); // a full fine-tune's frozen copy is not needed any more
        objective = PreferenceObjective.withPrecomputed(config.loss(), logps);
      } else {
        objective = PreferenceObjective.withReference(config.loss(), reference);
      }
      objective = objective.withSftWeight(config.sftWeight());
      described = objective.describeReference();

      // 4. The loop SFT uses, over pairs: accumulation, clipping, schedule, holdout metrics,
      //    checkpoints, resume.
      Trainer.Builder<EncodedPair> builder =
          Trainer.builder(new DpoObjective(objective, collator))
              .setAdaptedModel(adapted)
              .setTrainData(train)
              .setConfig(settings);
      if (!holdout.isEmpty()) {
        builder.optHoldout(holdout);
      }
      for (TrainingListener listener : listeners) {
        builder.optListener(listener);
      }
      result = builder.build().fit();

      // 5. What was trained, unless training diverged: the model in Hugging Face layout, or the
      //    adapter in PEFT's format (saved before close() frees it).
      saved =
          RecipeModel.save(
              adapted, pretrained, config.model(), settings.outputDir(), config.saveFinalModel(),
              result);
    }
    return new DpoResult(
        result, train.size(), holdout.size(), described, referenceSeconds, saved.finalModel(),
        saved.adapter());
  }

  /**
   * The run's pairs and holdout: the eval file when given, else a seeded random split.
   *
   * @param data the data settings
   * @param collator checks each prompt against its token budget
   * @param seed the run's seed
   * @return the split
   * @throws IOException if a file cannot be read or holds a bad pair
   */
  public static Split<PreferencePair> split(
      PreferenceDataConfig data, PreferenceCollator collator, long seed) throws IOException {
    List<PreferencePair> pairs = PreferenceFiles.load(data.trainFile(), data.fields(), collator);
    Split<PreferencePair> split =
        data.evalFile() != null
            ? new Split<>(pairs, PreferenceFiles.load(data.evalFile(), data.fields(), collator))
            : Split.random(pairs, data.holdoutFraction(), seed);
    if (split.train().isEmpty()) {
      throw new DatasetFormatException(
          data.trainFile(), 1, "(file)", "no training pairs are left after the holdout split");
    }
    return split;
  }

  /**
   * The run's collator: the model's tokenizer and chat template, the data's system prompt and
   * length budgets.
   *
   * @param data the data settings
   * @param pretrained the tokenizer and chat template
   * @return the collator
   */
  public static PreferenceCollator collator(PreferenceDataConfig data, PretrainedModel pretrained) {
    PreferenceCollator.Builder b =
        PreferenceCollator.builder()
            .setTokenizer(pretrained.tokenizer())
            .setChatTemplate(
                pretrained.chatTemplate()
                    .orElseThrow(
                        () -> new IllegalArgumentException(
                            "preference training renders prompts through the model's chat template,"
                                + " and this model has none")))
            .setMaxLength(data.maxLength())
            .optMaxPromptLength(data.maxPromptLength());
    if (data.systemPrompt() != null) {
      b.optSystemPrompt(data.systemPrompt());
    }
    return b.build();
  }
}
