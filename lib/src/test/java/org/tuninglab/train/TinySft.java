package org.tuninglab.train;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.SftCollator;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.HfTokenizer;

/**
 * A tiny fine-tuning setup: the test BPE tokenizer (vocabulary 272) with its Qwen2.5 chat
 * template, and a 2-layer decoder with hidden size 32, initialised from a seed.
 */
final class TinySft implements AutoCloseable {
  static final ModelConfig CONFIG =
      ModelConfig.builder()
          .setVocabSize(272)
          .setHiddenSize(32)
          .setIntermediateSize(64)
          .setNumLayers(2)
          .setNumHeads(4)
          .optNumKvHeads(2)
          .optMaxPositions(256)
          .build();
  private static final String[] WORDS = {"hello", "world", "the", "hi"};

  final HfTokenizer tokenizer;
  final SftCollator collator;

  TinySft() throws IOException {
    Path dir = bpeDir();
    tokenizer = HfTokenizer.load(dir);
    ChatTemplate template = ChatTemplate.fromModelDir(dir).orElseThrow();
    collator =
        SftCollator.builder()
            .setTokenizer(tokenizer)
            .optChatTemplate(template)
            .optSystemPrompt("Reverse.")
            .setMaxLength(96)
            .build();
  }

  static Path bpeDir() {
    try {
      return Path.of(TinySft.class.getResource("/tokenize/bpe").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static LlamaModel model() throws IOException {
    return LlamaModel.create(CONFIG, RandomWeights.forTraining(7, 0.02), Device.cpu(), DataType.FLOAT32);
  }

  /** Examples whose completion repeats the prompt's words in reverse: learnable, varied lengths. */
  static List<PromptCompletion> examples(int count, int offset) {
    List<PromptCompletion> examples = new ArrayList<>();
    for (int i = offset; i < offset + count; i++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 2 + i % 3; w++) {
        words.add(WORDS[(i * 7 + w * 3) % WORDS.length]);
      }
      String prompt = String.join(" ", words);
      List<String> reversed = new ArrayList<>(words);
      Collections.reverse(reversed);
      examples.add(PromptCompletion.of(prompt, String.join(" ", reversed)));
    }
    return examples;
  }

  /** Writes the tiny model in Hugging Face layout with the test tokenizer and chat template. */
  static Path writeModelDir(Path dir) throws IOException {
    return writeModelDir(dir, 0.02);
  }

  /**
   * Writes the tiny model with weights of the given standard deviation (0.02 is GPT-2's; larger
   * makes attention sharp enough for a prepended prompt to steer a random model).
   */
  static Path writeModelDir(Path dir, double initStd) throws IOException {
    try (TinySft sft = new TinySft();
        LlamaModel model =
            LlamaModel.create(CONFIG, RandomWeights.forTraining(7, initStd), Device.cpu(), DataType.FLOAT32)) {
      PretrainedModel.of(model, sft.tokenizer, null).save(dir, TensorDType.F32, Long.MAX_VALUE);
    }
    for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
      Files.copy(bpeDir().resolve(f), dir.resolve(f));
    }
    return dir;
  }

  /**
   * Writes 20 examples as JSONL with fields problem, solution and subject; every fifth (0, 5, 10,
   * 15) is "geometry", the rest "algebra".
   */
  static void writeMathJsonl(Path file) throws IOException {
    StringBuilder jsonl = new StringBuilder();
    List<PromptCompletion> examples = examples(20, 0);
    for (int i = 0; i < examples.size(); i++) {
      jsonl.append(
          String.format(
              "{\"problem\": \"%s\", \"solution\": \"%s\", \"subject\": \"%s\"}%n",
              examples.get(i).prompt(), examples.get(i).completion(), i % 5 == 0 ? "geometry" : "algebra"));
    }
    Files.writeString(file, jsonl);
  }

  EncodedDataset encode(List<PromptCompletion> examples) {
    return collator.encodeAll(examples);
  }

  Trainer.Builder<EncodedExample> trainer(LlamaModel model, EncodedDataset data, TrainerConfig config) {
    return Trainer.builder()
        .setForward(ForwardPass.of(model))
        .setTrainable(model.namedArrays())
        .setManager(model.manager())
        .setCollator(collator)
        .setTrainData(data)
        .setConfig(config);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
