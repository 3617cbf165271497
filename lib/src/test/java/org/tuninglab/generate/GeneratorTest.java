package org.tuninglab.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.testing.CharTokenizer;

class GeneratorTest {
  static LlamaModel model;
  static Generator generator;

  @BeforeAll
  static void buildModel() throws IOException {
    ModelConfig config =
        ModelConfig.builder().setVocabSize(64).setHiddenSize(32).setIntermediateSize(64)
            .setNumLayers(2).setNumHeads(4).optNumKvHeads(2).build();
    model = LlamaModel.create(config, RandomWeights.everywhere(3, 0.5), Device.cpu(), DataType.FLOAT32);
    generator = new Generator(model, new CharTokenizer());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static GenerationConfig.Builder noEos(int tokens) {
    return GenerationConfig.builder().optMaxNewTokens(tokens);
  }

  @Test
  void cachedDecodingGivesTheSameTokensAsFullRecomputation() {
    int[] prompt = {5, 9, 14, 3};
    Generation cached = generator.generate(prompt, noEos(40).build());
    Generation full = generator.generate(prompt, noEos(40).optUseCache(false).build());
    assertArrayEquals(full.tokens(), cached.tokens());
    assertTrue(cached.tokens().length > 5, "generated " + cached.tokens().length + " tokens");
  }

  @Test
  void aBatchOfDifferentLengthsMatchesEachPromptAlone() {
    int[] a = {5, 9, 14, 3, 22, 17};
    int[] b = {7, 1};
    GenerationConfig config = noEos(12).build();
    List<Generation> batch = generator.generate(List.of(a, b), config, TokenListener.NONE);
    assertArrayEquals(generator.generate(a, config).tokens(), batch.get(0).tokens());
    assertArrayEquals(generator.generate(b, config).tokens(), batch.get(1).tokens());
  }

  @Test
  void samplingIsSeededAndTemperatureChangesTheOutput() {
    int[] prompt = {5, 9};
    GenerationConfig sampled = noEos(30).optTemperature(1.5).optTopK(20).optTopP(0.95).optSeed(42).build();
    Generation first = generator.generate(prompt, sampled);
    Generation again = generator.generate(prompt, sampled);
    Generation otherSeed = generator.generate(prompt, sampled.toBuilder().optSeed(43).build());
    assertArrayEquals(first.tokens(), again.tokens());
    assertFalse(java.util.Arrays.equals(first.tokens(), otherSeed.tokens()));
    assertNotEquals(generator.generate(prompt, noEos(30).build()).text(), first.text());
  }

  @Test
  void topKOfOneIsGreedy() {
    int[] prompt = {5, 9, 2};
    Generation greedy = generator.generate(prompt, noEos(20).build());
    Generation topOne = generator.generate(prompt, noEos(20).optTemperature(0.7).optTopK(1).optSeed(1).build());
    assertArrayEquals(greedy.tokens(), topOne.tokens());
  }

  @Test
  void stopStringsCutTheTextAndAreNeverStreamed() {
    int[] prompt = {5, 9, 14};
    Generation free = generator.generate(prompt, noEos(40).build());
    String text = free.text();
    assertTrue(text.length() >= 8, "need some text to cut: '" + text + "'");
    String stop = text.substring(5, 7);
    int cut = text.indexOf(stop);
    StringBuilder streamed = new StringBuilder();
    List<Generation> stopped =
        generator.generate(
            List.of(prompt), noEos(40).optStopStrings(List.of(stop)).build(),
            (seq, token, delta) -> streamed.append(delta));
    assertEquals(text.substring(0, cut), stopped.get(0).text());
    assertEquals(FinishReason.STOP_STRING, stopped.get(0).finishReason());
    assertEquals(stopped.get(0).text(), streamed.toString());
  }

  @Test
  void stopTokensEndASequenceAndAreNotInTheOutput() {
    int[] prompt = {5, 9, 14};
    Generation free = generator.generate(prompt, noEos(30).build());
    int stopId = free.tokens()[3];
    Generation stopped = generator.generate(prompt, noEos(30).optStopTokenIds(Set.of(stopId)).build());
    int firstAt = 0;
    while (free.tokens()[firstAt] != stopId) {
      firstAt++;
    }
    assertEquals(FinishReason.STOP_TOKEN, stopped.finishReason());
    assertArrayEquals(java.util.Arrays.copyOf(free.tokens(), firstAt), stopped.tokens());
  }

  @Test
  void streamingDeliversExactlyTheFinalText() {
    List<String> deltas = new ArrayList<>();
    Generation g =
        generator.generate(List.of(new int[] {3, 4}), noEos(25).build(), (s, t, d) -> deltas.add(d)).get(0);
    assertEquals(g.text(), String.join("", deltas));
    assertEquals(FinishReason.LENGTH, g.finishReason());
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> noEos(5).optTopP(0).build());
    assertThrows(IllegalArgumentException.class, () -> noEos(5).optTemperature(-1).build());
    var e = assertThrows(IllegalArgumentException.class, () -> generator.generate(new int[0], noEos(5).build()));
    assertTrue(e.getMessage().contains("empty"));
  }
}
