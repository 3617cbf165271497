package org.tuninglab.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.parallel.GpuSpec;
import org.tuninglab.parallel.Link;

class ParallelConclusionTest {

  @Test
  void namesTheFastestAndSlowestStrategyPerLinkOnTheLargestClusterAndTheirMemory() throws Exception {
    ModelConfig qwen = ModelConfig.load(Path.of("../configs/models/qwen2.5-0.5b.json"));
    var clusters = List.of(Map.entry(2, GpuSpec.parse("a100-40gb")), Map.entry(4, GpuSpec.parse("h100-80gb")));
    List<ParallelBenchmark.Projected> projected = new ArrayList<>();
    for (Link link : Link.values()) {
      projected.addAll(ParallelBenchmark.project(qwen, 8, 512, 8, clusters, link, ParallelBenchmark.UTILISATION));
    }
    String md = ParallelConclusion.of(3.2e-7, projected).text();
    assertTrue(md.startsWith("**In this run** all three strategies gave one device's gradients to within 3.2e-07"), md);
    for (Link link : Link.values()) {
      StepProjection fastest = projected.stream().filter(p -> p.method().equals("full")).map(ParallelBenchmark.Projected::projection)
          .filter(p -> p.devices() == 4 && p.link().equals(link.label()))
          .min(Comparator.comparingDouble(StepProjection::stepSeconds)).orElseThrow();
      String expected = String.format(Locale.ROOT, "On 4 x %s over %s, a full fine-tune's step is fastest %s parallel (%.3g ms)",
          fastest.device(), link.label(), fastest.strategy().label(), fastest.stepSeconds() * 1e3);
      assertTrue(md.contains(expected), md + "\nexpected: " + expected);
    }
    assertTrue(md.contains(" Memory per GPU there: "), md);
    assertThrows(IllegalArgumentException.class, () -> ParallelConclusion.of(0, List.of()));
  }
}
