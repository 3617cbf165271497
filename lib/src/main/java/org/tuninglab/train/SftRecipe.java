package org.tuninglab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.tuninglab.data.ChatCorpus;
import org.tuninglab.data.DatasetFormatException;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.Example;
import org.tuninglab.data.ExampleFiles;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.Split;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;

/**
 * Supervised fine-tuning, top to bottom: load the model, load and split the data, tokenize it
 * with the chat template and completion-only labels, choose what trains, run the trainer, save the
 * result. One flat recipe shared by notebooks, the CLI ({@code ./tuninglab train CONFIG}) and
 * Slurm jobs; read it to see every step a fine-tune takes.
 */
public final class SftRecipe {
  private SftRecipe() {}

  /**
   * Loads the config's model on the default device and fine-tunes it.
   *
   * @param config the run
   * @param listeners progress listeners
   * @return what the run did
   * @throws IOException if the model, the data or a checkpoint cannot be read or written
   */
  public static SftResult run(SftConfig config, TrainingListener... listeners) throws IOException {
    try (PretrainedModel pretrained = RecipeModel.load(config.model(), config.precision())) {
      return run(config, pretrained, listeners);
    }
  }

  /**
   * Fine-tunes an already loaded model (a notebook keeps it to compare before and after).
   *
   * @param config the run; its {@code model} field is not used
   * @param pretrained the model, tokenizer and chat template; a full fine-tune trains its weights
   *     in place, and QLoRA leaves its projections quantised to NF4
   * @param listeners progress listeners
   * @return what the run did
   * @throws IOException if the data or a checkpoint cannot be read or written
   */
  public static SftResult run(SftConfig config, PretrainedModel pretrained, TrainingListener... listeners)
      throws IOException {
    DataConfig data = config.data();
    TrainerConfig settings = config.trainer();

    // 1. Examples, validated, split with the run's seed so every run sees the same holdout.
    Split<Example> split = split(data, settings.seed());
    if (split.train().isEmpty()) {
      throw new DatasetFormatException(
          data.trainFile(), 1, "(file)", "no training examples are left after the holdout split");
    }

    // 2. Tokens: the model's chat template, the completion (and its end-of-turn token) trained.
    SftCollator collator = collator(data, pretrained);
    EncodedDataset train = collator.encodeAll(split.train());
    EncodedDataset holdout = split.holdout().isEmpty() ? null : collator.encodeAll(split.holdout());
    TrainingResult result;
    RecipeModel.Saved saved;

    // 3. What trains: every weight (full), low-rank adapters on a frozen base (lora), the same on
    //    an NF4 base (qlora), or virtual-token embeddings before the input (prompt).
    try (AdaptedModel adapted = config.method().apply(pretrained)) {

      // 4. The loop: accumulation, clipping, schedule, evaluation, checkpoints, resume.
      Trainer.Builder<EncodedExample> trainerBuilder =
          Trainer.builder()
              .setAdaptedModel(adapted)
              .setCollator(collator)
              .setTrainData(train)
              .setConfig(settings);
      if (holdout != null && holdout.size() > 0) {
        trainerBuilder.optHoldout(holdout);
      }
      for (TrainingListener listener : listeners) {
        trainerBuilder.optListener(listener);
      }
      result = trainerBuilder.build().fit();

      // 5. What was trained, unless training diverged: the model in Hugging Face layout, or the
      //    adapter in PEFT's format (saved before close() frees it).
      saved =
          RecipeModel.save(
              adapted, pretrained, config.model(), settings.outputDir(), config.saveFinalModel(),
              result);
    }
    return new SftResult(
        result, train.truncation(), train.size(), holdout == null ? 0 : holdout.size(), saved.finalModel(),
        saved.adapter());
  }

  /**
   * The run's examples and holdout: the eval file when given, else a split by a field's values,
   * else a seeded random split — the same on every machine for the same seed.
   *
   * @param data the data settings
   * @param seed the run's seed
   * @return the split
   * @throws IOException if a file cannot be read or holds a bad record
   */
  public static Split<Example> split(DataConfig data, long seed) throws IOException {
    List<Example> examples = examples(data, data.trainFile());
    if (data.evalFile() != null) {
      return new Split<>(examples, examples(data, data.evalFile()));
    } else if (data.holdoutField() != null) {
      return Split.byField(examples, data.holdoutField(), new HashSet<>(data.holdoutValues()));
    }
    return Split.random(examples, data.holdoutFraction(), seed);
  }

  /** A data file's examples: records, or the chats of a corpus file when a separator is set. */
  private static List<Example> examples(DataConfig data, Path file) throws IOException {
    return data.documentSeparator() == null
        ? ExampleFiles.load(file, data.fields())
        : ChatCorpus.load(file, data.documentSeparator());
  }

  /**
   * The run's collator: the model's tokenizer and chat template, the data's system prompt and
   * length limit, completion-only labels.
   *
   * @param data the data settings
   * @param pretrained the tokenizer and chat template
   * @return the collator
   */
  public static SftCollator collator(DataConfig data, PretrainedModel pretrained) {
    SftCollator.Builder b =
        SftCollator.builder().setTokenizer(pretrained.tokenizer()).setMaxLength(data.maxLength());
    pretrained.chatTemplate().ifPresent(b::optChatTemplate);
    if (data.systemPrompt() != null) {
      b.optSystemPrompt(data.systemPrompt());
    }
    return b.build();
  }
}
