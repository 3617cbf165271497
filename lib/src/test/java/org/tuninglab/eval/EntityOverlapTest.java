package org.tuninglab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityOverlapTest {

  private static LabelledExample example(String id, String... gold) {
    return new LabelledExample(id, "text " + id, Map.of(), "-", List.of(gold), null);
  }

  private static ExampleReply reply(LabelledExample e, String text) {
    return new ExampleReply(e, "s", List.of(), 0, text, null, null, 0, 0, 0);
  }

  @Test
  void delimitedAndJsonExtractorsReadTheEntities() {
    assertEquals(
        List.of("Apple", "Tim Cook"),
        EntityExtractor.delimited(",").extract(" Apple,, Tim Cook ,"));
    EntityExtractor objects = EntityExtractor.jsonList("entities", "entity");
    assertEquals(
        List.of("Apple", "apple tree"),
        objects.extract(
            "Sure! {\"entities\": [{\"entity\": \"Apple\", \"type\": \"Org\"},"
                + " {\"entity\": \"apple tree\"}, {\"type\": \"no text\"}]}"));
    assertEquals(List.of(), objects.extract("{\"entities\": [ broken"));
    assertEquals(List.of(), objects.extract("{\"other\": []}"));
    assertEquals(
        List.of("a", "b"),
        EntityExtractor.jsonList(null, null).extract("```json\n[\"a\", \"b\"]\n```"));
  }

  @Test
  void typedFieldsCountANameOnlyUnderItsOwnField() {
    EntityExtractor typed = EntityExtractor.jsonFields();
    String reference = "{\"people\": [\"Rosa\", \"David\"], \"places\": [\"Elmwood\"], \"dates\": []}";
    assertEquals(List.of("people: Rosa", "people: David", "places: Elmwood"), typed.extract(reference));
    assertEquals(List.of(), typed.extract("{\"people\": [\"Rosa\""));
    assertEquals(List.of(), typed.extract("[\"Rosa\"]"), "a bare list has no fields");

    LabelledExample e = LabelledExample.of("x", "text", reference).withEntitiesFromReference(typed);
    // Rosa right, David missing, Elmwood under the wrong field: tp 1 of 2 predicted, 3 gold
    ExampleScore s = EntityOverlap.f1(typed).score(reply(e,
        "{\"people\": [\"Rosa\", \"Elmwood\"], \"places\": []}"));
    assertArrayEquals(new double[] {1, 2, 3}, s.totals());
  }

  /**
   * Three examples, hand-counted. e1: gold {apple, tim cook}, predicted {Apple, Steve Jobs}: tp 1,
   * pred 2, gold 2. e2: gold {paris}, predicted {paris, PARIS, france}: as a set {paris, france},
   * tp 1, pred 2, gold 1. e3: gold {berlin, germany, europe}, predicted nothing: tp 0, pred 0, gold
   * 3. Micro: tp 2, pred 4, gold 6; P = 0.5, R = 1/3, F1 = 2(1/6)/(5/6) = 0.4.
   */
  @Test
  void microAveragesSumCountsOverExamples() {
    EntityExtractor comma = EntityExtractor.delimited(",");
    LabelledExample e1 = example("e1", "Apple", "Tim  Cook");
    LabelledExample e2 = example("e2", "Paris");
    LabelledExample e3 = example("e3", "Berlin", "Germany", "Europe");
    List<ExampleReply> replies =
        List.of(reply(e1, "apple, Steve Jobs"), reply(e2, "paris, PARIS, France"), reply(e3, ""));
    double[] expected = {0.5, 1.0 / 3, 0.4};
    List<EntityOverlap> metrics =
        List.of(
            EntityOverlap.precision(comma), EntityOverlap.recall(comma), EntityOverlap.f1(comma));
    for (int k = 0; k < 3; k++) {
      EntityOverlap m = metrics.get(k);
      double[] totals = new double[3];
      for (ExampleReply r : replies) {
        double[] t = m.score(r).totals();
        for (int i = 0; i < 3; i++) {
          totals[i] += t[i];
        }
      }
      assertArrayEquals(new double[] {2, 4, 6}, totals);
      assertEquals(expected[k], m.aggregate(totals, 3), 1e-12, m.name());
    }
    assertEquals("entity_f1", metrics.get(2).name());
    // Per example: e1 P = R = F1 = 0.5; e3 predicted nothing: P = 1 (vacuous), R = 0, F1 = 0.
    assertEquals(0.5, metrics.get(2).score(replies.get(0)).value(), 1e-12);
    assertEquals(1.0, metrics.get(0).score(replies.get(2)).value());
    assertEquals(0.0, metrics.get(1).score(replies.get(2)).value());
    assertEquals(0.0, metrics.get(2).score(replies.get(2)).value());
    // No gold and nothing predicted: nothing missed, nothing wrong.
    assertEquals(1.0, metrics.get(2).score(reply(example("e4"), " , ")).value());
  }

  @Test
  void examplesWithoutGoldEntitiesAreNamed() {
    List<LabelledExample> set =
        List.of(example("e1", "a"), LabelledExample.of("q7", "text", "ref"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EntityOverlap.f1(EntityExtractor.delimited(",")).check(set));
    assertEquals(
        "example 'q7' has no field 'entities'; metric entity_f1 needs gold entities on every"
            + " example",
        e.getMessage());
  }
}
