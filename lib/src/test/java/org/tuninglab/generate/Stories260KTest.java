package org.tuninglab.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.Llama2cCheckpoint;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.testing.SharedFiles;
import org.tuninglab.tokenize.Llama2cTokenizer;

/** A model trained elsewhere, by someone else, must say exactly what its authors documented. */
public class Stories260KTest {
  public static final String DOCUMENTED =
      "Once upon a time, there was a little girl named Lily. She loved to play outside in the park."
          + " One day, she saw a big, red ball. She wanted to play with it, but it was too high.\n"
          + "Lily's mom said, \"Lily, let's go to the park.\" Lily was sad and didn't know what to do."
          + " She said, \"I want to play with your ball, but I can't find it.\"\n"
          + "Lily was sad and didn't know what to do. She said, \"I'm sorry, Lily. I didn't know what"
          + " to do.\"\n"
          + "Lily didn't want to help her mom, so she said, \"I'm sorry, mom. I didn't know what to"
          + " do.\" Her mom said, \"Don't worry, Lily. We can help you.\n";

  @Test
  void greedyDecodingFromBosReproducesTheDocumentedStory() throws IOException {
    Llama2cCheckpoint ckpt =
        Llama2cCheckpoint.read(SharedFiles.require("models/stories260K/stories260K.bin"));
    Llama2cTokenizer tokenizer =
        Llama2cTokenizer.load(SharedFiles.require("models/stories260K/tok512.bin"));
    // llama2.c runs 256 forward passes from BOS and stops early at the next BOS.
    GenerationConfig config =
        GenerationConfig.builder().optMaxNewTokens(256)
            .optStopTokenIds(java.util.Set.of(Llama2cTokenizer.BOS)).build();
    try (LlamaModel model = LlamaModel.create(ckpt.config(), ckpt, Device.cpu(), DataType.FLOAT32)) {
      Generation g = new Generator(model, tokenizer).generate(new int[] {Llama2cTokenizer.BOS}, config);
      int[] all = IntStream.concat(IntStream.of(Llama2cTokenizer.BOS), IntStream.of(g.tokens())).toArray();
      String text = tokenizer.decode(all, true);
      String common = DOCUMENTED.substring(0, Math.min(DOCUMENTED.length(), text.length()));
      assertEquals(common, text.substring(0, common.length()));
      assertTrue(common.length() > 550, "compared " + common.length() + " characters");
    }
  }
}
