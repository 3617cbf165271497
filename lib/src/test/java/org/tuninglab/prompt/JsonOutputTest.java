package org.tuninglab.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The replies are the workshop slides' entity-extraction examples (with and without few-shot). */
class JsonOutputTest {

  private static final String CLEAN =
      "{\"entities\": [\n"
          + "  {\"entity\": \"Apple\", \"type\": \"Organization\"},\n"
          + "  {\"entity\": \"executive\", \"type\": \"JobTitle\"},\n"
          + "  {\"entity\": \"apple tree\", \"type\": \"Plant\"}\n"
          + "]}";
  private static final String CHATTY = "Sure! Here is JSON for those entities.\n\n" + CLEAN;
  private static final String PARENTHESES =
      "Sure! Here is JSON for those entities.\n\n"
          + "(\n"
          + "    \"entities\": [\n"
          + "        (\"text\": \"Apple\", \"type\": \"Organization\"),\n"
          + "        (\"text\": \"executive\", \"type\": \"Title\"),\n"
          + "        (\"text\": \"apple tree\", \"type\": \"Plant\")\n"
          + "]\n"
          + "}";
  private static final String FENCED = "```json\n" + CLEAN + "\n```\nLet me know if you need more.";

  private static final JsonShape ENTITIES =
      JsonShape.object(
          Map.of(
              "entities",
              JsonShape.arrayOf(
                  JsonShape.object(
                      Map.of("entity", JsonShape.string(), "type", JsonShape.string())))));

  @Test
  void cleanReplyIsValid() {
    JsonCheck c = JsonOutput.check(CLEAN, ENTITIES);
    assertTrue(c.valid(), c.reasons().toString());
    assertEquals("Apple", c.value().get("entities").get(0).get("entity").asText());
  }

  @Test
  void proseBeforeTheJsonIsSkipped() {
    JsonCheck c = JsonOutput.check(CHATTY, ENTITIES);
    assertTrue(c.valid(), c.reasons().toString());
    assertEquals(3, c.value().get("entities").size());
  }

  @Test
  void fencedJsonIsFound() {
    assertEquals(Optional.of(CLEAN), JsonOutput.extract(FENCED));
    assertTrue(JsonOutput.check(FENCED, ENTITIES).valid());
  }

  @Test
  void parenthesesInsteadOfBracesAreInvalidAndNotRepaired() {
    JsonCheck c = JsonOutput.check(PARENTHESES, ENTITIES);
    assertFalse(c.valid());
    assertNull(c.value());
    assertEquals(1, c.reasons().size());
    assertTrue(c.reasons().get(0).startsWith("invalid JSON: "), c.reasons().toString());
    // The first block is the array; Jackson names the offending parenthesis.
    assertTrue(c.reasons().get(0).contains("'('"), c.reasons().toString());
  }

  @Test
  void bracketsInsideStringsDoNotEndTheBlock() {
    String reply = "Here: {\"note\": \"a } and a \\\" and ] inside\", \"n\": [1, {\"k\": 2}]} done";
    assertEquals(
        Optional.of("{\"note\": \"a } and a \\\" and ] inside\", \"n\": [1, {\"k\": 2}]}"),
        JsonOutput.extract(reply));
    assertTrue(JsonOutput.check(reply).valid());
  }

  @Test
  void topLevelArrayIsFound() {
    JsonShape shape = JsonShape.arrayOf(JsonShape.number());
    assertTrue(JsonOutput.check("The answer is [1, 2.5, 3].", shape).valid());
  }

  @Test
  void replyWithoutJsonIsInvalid() {
    JsonCheck c = JsonOutput.check("1. Apple (company)\n2. Executive (position/role)");
    assertEquals(List.of("no JSON object or array in the reply"), c.reasons());
    assertEquals(Optional.empty(), JsonOutput.extract("no brackets"));
  }

  @Test
  void unbalancedBlockIsInvalid() {
    assertEquals(Optional.of("{\"a\": [1, 2}"), JsonOutput.extract("x {\"a\": [1, 2}"));
    assertFalse(JsonOutput.check("{\"a\": 1").valid());
  }

  @Test
  void onlyTheFirstBlockCounts() {
    JsonCheck c = JsonOutput.check("{bad} then {\"entities\": []}", ENTITIES);
    assertFalse(c.valid());
    assertTrue(c.reasons().get(0).startsWith("invalid JSON"), c.reasons().toString());
  }

  @Test
  void shapeMismatchesAreListedWithPaths() {
    // The few-shot answer of the slides: valid JSON, but not the shape asked for.
    String reply =
        "{\"entities\": [{\"entity\": \"Apple\", \"type\": 7}, {\"type\": \"Plant\"}, \"x\"]}";
    JsonCheck c = JsonOutput.check(reply, ENTITIES);
    assertFalse(c.valid());
    assertEquals(
        List.of(
            "$.entities[0].type: expected a string, got a number",
            "$.entities[1]: missing key 'entity' (a string)",
            "$.entities[2]: expected an object, got a string"),
        List.of(c.reasons().get(0), c.reasons().get(1), c.reasons().get(2)));
    assertEquals(
        List.of("$: missing key 'entities' (an array)"),
        JsonOutput.check("{\"Apple\": \"Organization\"}", ENTITIES).reasons());
    assertEquals(
        List.of("$: expected an object, got an array"), JsonOutput.check("[]", ENTITIES).reasons());
  }

  @Test
  void boolAndAnyShapes() {
    JsonShape shape = JsonShape.object(Map.of("ok", JsonShape.bool(), "extra", JsonShape.any()));
    assertTrue(JsonOutput.check("{\"ok\": true, \"extra\": null}", shape).valid());
    assertEquals(
        List.of("$.ok: expected a boolean, got null"),
        JsonOutput.check("{\"ok\": null, \"extra\": 1}", shape).reasons());
  }

  @Test
  void validityRateOfTheWorkshopReplies() {
    assertEquals(
        0.75, JsonOutput.validityRate(List.of(CLEAN, CHATTY, PARENTHESES, FENCED), ENTITIES));
  }

  @Test
  void validityRateOfNothingIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> JsonOutput.validityRate(List.of(), ENTITIES));
    assertTrue(e.getMessage().contains("replies is empty"));
  }

  @Test
  void checkRejectsInconsistentVerdicts() {
    assertThrows(IllegalArgumentException.class, () -> new JsonCheck(true, null, List.of("x")));
    assertThrows(IllegalArgumentException.class, () -> new JsonCheck(false, null, List.of()));
  }

  @Test
  void objectShapeRejectsANullKeyShape() {
    Map<String, JsonShape> keys = new HashMap<>();
    keys.put("entities", null);
    NullPointerException e = assertThrows(NullPointerException.class, () -> JsonShape.object(keys));
    assertEquals("shape of key 'entities'", e.getMessage());
  }
}
