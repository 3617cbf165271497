package org.tuninglab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.data.CopyDrill;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.PackedSequences;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.TextCorpus;
import org.tuninglab.eval.RepeatedTokensLoss;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.score.HoldoutLoss;
import org.tuninglab.tokenize.BpeTrainer;
import org.tuninglab.tokenize.ByteLevelBpe;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.HfTokenizer;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Pretraining a small model from scratch, top to bottom: read the corpus, train a byte-level BPE
 * tokenizer on it, pack the documents into sequences, build a randomly initialised decoder, train
 * every weight on every token, and save the model in Hugging Face layout with its tokenizer, chat
 * template and generation config. The embedded workshop model was made by two runs of it
 * ({@code ./tuninglab pretrain configs/tuninglab-copy-drills.yaml}, then {@code
 * configs/tuninglab-copy-mix.yaml}).
 */
public final class PretrainRecipe {
  /** The saved model stays in one file. */
  private static final long MAX_SHARD_BYTES = 2L << 30;

  private PretrainRecipe() {}

  /**
   * Pretrains on the default device in float32.
   *
   * @param config the run
   * @param listeners progress listeners
   * @return what the run did
   * @throws IOException if the corpus cannot be read or a file cannot be written
   */
  public static PretrainResult run(PretrainConfig config, TrainingListener... listeners)
      throws IOException {
    return run(config, Engine.getInstance().defaultDevice(), listeners);
  }

  /**
   * Pretrains on a device in float32.
   *
   * @param config the run
   * @param device where the model trains
   * @param listeners progress listeners
   * @return what the run did
   * @throws IOException if the corpus cannot be read or a file cannot be written
   */
  public static PretrainResult run(
      PretrainConfig config, Device device, TrainingListener... listeners) throws IOException {
    TrainerConfig settings = config.trainer();
    Path modelDir = config.finalModelDir();
    if (modelDir == null) {
      throw new IllegalArgumentException("pretraining needs an output folder for its model");
    }

    // 1. The corpus, one document a paragraph.
    String separator = config.documentSeparator();
    List<String> trainDocs = TextCorpus.documents(config.trainFile(), separator);
    List<String> holdoutDocs =
        config.holdoutFile() == null
            ? List.of()
            : TextCorpus.documents(config.holdoutFile(), separator);

    // 2. The tokenizer and the decoder: trained and randomly initialised, or an earlier model's.
    try (PretrainedModel start = startingModel(config, trainDocs, modelDir, device)) {
      TextTokenizer tokenizer = start.tokenizer();
      LlamaModel model = start.model();
      int endOfText = specialId(tokenizer, "<|endoftext|>", config);

      // 3. Packed sequences: every token trained, no padding.
      int length = config.contextLength();
      EncodedDataset train =
          PackedSequences.pack(
              tokenizer, trainDocs, endOfText, length, config.trainFile().toString());
      EncodedDataset holdout =
          holdoutDocs.isEmpty()
              ? null
              : PackedSequences.pack(
                  tokenizer, holdoutDocs, endOfText, length, config.holdoutFile().toString());
      SftCollator collator =
          SftCollator.builder().setTokenizer(tokenizer).setMaxLength(length).build();
      // Copy drills, shuffled in among the corpus's sequences by the trainer's order (or alone).
      int ordinary = RepeatedTokensLoss.ordinaryTokens(tokenizer);
      List<EncodedExample> drills =
          CopyDrill.rows(
              copyDrillRows(train.size(), config.copyDrillFraction(), settings),
              length,
              ordinary,
              settings.seed());
      boolean corpusTrained = config.copyDrillFraction() < 1;
      List<EncodedExample> trainRows = new ArrayList<>();
      if (corpusTrained) {
        trainRows.addAll(train.examples());
      }
      trainRows.addAll(drills);

      try (FullFineTune full = FullFineTune.apply(model)) {
        double before =
            holdout == null
                ? Double.NaN
                : HoldoutLoss.compute(
                        full, collator.batches(holdout, settings.batchSize()), model.manager())
                    .mean();

        // 4. The same loop as fine-tuning: AdamW, schedule, clipping, evaluation (with the copying
        //    test), checkpoints.
        Trainer.Builder<EncodedExample> trainer =
            Trainer.builder(new PretrainObjective(collator, ordinary))
                .setAdaptedModel(full)
                .setTrainData(trainRows)
                .setConfig(settings);
        if (holdout != null) {
          trainer.optHoldout(holdout.examples());
        }
        for (TrainingListener listener : listeners) {
          trainer.optListener(listener);
        }
        TrainingResult result = trainer.build().fit();
        double after =
            holdout == null
                ? Double.NaN
                : HoldoutLoss.compute(
                        full, collator.batches(holdout, settings.batchSize()), model.manager())
                    .mean();

        // 5. The model in Hugging Face layout beside its tokenizer files, unless training diverged.
        Path saved = null;
        if (result.reason() != StopReason.NON_FINITE) {
          start.save(modelDir, TensorDType.F32, MAX_SHARD_BYTES);
          saved = modelDir;
        }
        return new PretrainResult(
            result,
            tokenizer.vocabSize(),
            model.config().parameterCount(),
            corpusTrained ? train.size() : 0,
            drills.size(),
            corpusTrained ? tokenCount(train) : 0,
            holdout == null ? 0 : tokenCount(holdout),
            before,
            after,
            saved);
      }
    }
  }

  /**
   * A fresh start writes a byte-level BPE trained on the training documents (the holdout stays
   * unseen) and the generation config to the model folder first, so the folder is complete once
   * the weights join it, and builds a randomly initialised decoder sized to the tokenizer and the
   * context. With {@code initFrom} the run continues an earlier model, tokenizer and weights, at
   * the configured context (a first stage on short rows can be followed by a longer context) and
   * depth (a multiple of the saved one grows it by block expansion).
   */
  private static PretrainedModel startingModel(
      PretrainConfig config, List<String> trainDocs, Path modelDir, Device device)
      throws IOException {
    if (config.initFrom() != null) {
      requireShape(config, ModelConfig.load(config.initFrom()));
      return PretrainedModel.loadToContinue(
          config.initFrom(),
          config.contextLength(),
          config.model().numLayers(),
          RandomWeights.forTraining(config.trainer().seed(), config.initStd()),
          device,
          DataType.FLOAT32);
    }
    ByteLevelBpe bpe =
        BpeTrainer.builder().setVocabSize(config.vocabSize()).build().train(trainDocs);
    bpe.save(modelDir);
    int endOfText = bpe.specialId("<|endoftext|>");
    int imEnd = bpe.specialId("<|im_end|>");
    writeGenerationConfig(modelDir, List.of(imEnd, endOfText), endOfText);
    HfTokenizer tokenizer = HfTokenizer.load(modelDir);
    try {
      ModelConfig shape =
          shape(
              config.model(),
              tokenizer.vocabSize(),
              config.contextLength(),
              List.of(imEnd, endOfText));
      return PretrainedModel.of(
          LlamaModel.create(
              shape,
              RandomWeights.forTraining(config.trainer().seed(), config.initStd()),
              device,
              DataType.FLOAT32),
          tokenizer,
          ChatTemplate.fromModelDir(modelDir).orElseThrow());
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** The configured shape must be one the saved model can continue at (only its depth may grow). */
  private static void requireShape(PretrainConfig config, ModelConfig saved) {
    config
        .shapeMismatch(saved)
        .ifPresent(
            k -> {
              throw new IllegalArgumentException(String.format(
                  "%s is %s but a continued run of the model in %s needs %s",
                  k.key(), k.configured(), config.initFrom(), k.allowed()));
            });
  }

  /** A special token's id, which the corpus's documents end with. */
  private static int specialId(TextTokenizer tokenizer, String token, PretrainConfig config) {
    Integer id = tokenizer.specialTokens().named().get(token);
    if (id == null) {
      throw new IllegalArgumentException(String.format(
          "the tokenizer of %s has no %s special token, which pretraining ends documents with",
          config.initFrom() == null ? config.finalModelDir() : config.initFrom(), token));
    }
    return id;
  }

  /** The configured shape with the tokenizer's vocabulary, the context and the EOS ids. */
  private static ModelConfig shape(ModelConfig m, int vocabSize, int context, List<Integer> eos) {
    return new ModelConfig(
        m.architecture(),
        vocabSize,
        m.hiddenSize(),
        m.intermediateSize(),
        m.numLayers(),
        m.numHeads(),
        m.numKvHeads(),
        m.headDim(),
        context,
        m.ropeTheta(),
        m.ropeScaling(),
        m.ropeLayout(),
        m.rmsNormEps(),
        m.attentionBias(),
        m.outputBias(),
        true,
        m.slidingWindow(),
        -1,
        eos);
  }

  /**
   * Drill rows that make up {@code fraction} of all training rows; with fraction 1 (drills alone),
   * one fresh row for every row the run trains on.
   */
  static int copyDrillRows(int corpusRows, double fraction, TrainerConfig settings) {
    if (fraction == 1) {
      return Math.multiplyExact(
          settings.maxSteps(), settings.batchSize() * settings.gradAccumulation());
    }
    return (int) Math.round(corpusRows * fraction / (1 - fraction));
  }

  /** Tokens of packed sequences, counting the one-token overlaps once. */
  private static long tokenCount(EncodedDataset data) {
    long n = 1;
    for (var e : data.examples()) {
      n += e.length() - 1;
    }
    return n;
  }

  /** Stop at the end of a turn or of a document; pad with the document separator. */
  private static void writeGenerationConfig(Path dir, List<Integer> eos, int pad)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.putNull("bos_token_id");
    eos.forEach(root.putArray("eos_token_id")::add);
    root.put("pad_token_id", pad);
    root.put("do_sample", false);
    AtomicFiles.writeString(
        dir.resolve("generation_config.json"),
        json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }
}
