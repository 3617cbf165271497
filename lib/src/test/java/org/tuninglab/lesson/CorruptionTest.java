package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.PromptCompletion;

class CorruptionTest {

  private static List<PromptCompletion> examples(int n) {
    List<PromptCompletion> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new PromptCompletion("text " + i, "{\"people\": [\"P" + i + "\"]}", Map.of("domain", "d" + i), "line " + i));
    }
    return out;
  }

  @Test
  void aQuarterOfTheExamplesTakeAnotherChosenExamplesCompletionAndKeepTheirPrompt() {
    List<PromptCompletion> clean = examples(12);
    Corruption.Result r = new Corruption(0.25, 7).apply(clean);

    assertEquals(12, r.examples().size());
    assertEquals(3, r.corrupted().size(), r.toString());
    List<String> moved = new ArrayList<>();
    for (int i = 0; i < clean.size(); i++) {
      PromptCompletion before = clean.get(i);
      PromptCompletion after = r.examples().get(i);
      assertEquals(before.prompt(), after.prompt());
      assertEquals(before.fields(), after.fields());
      assertEquals(before.origin(), after.origin());
      if (r.corrupted().contains(i)) {
        assertTrue(!after.completion().equals(before.completion()), "example " + i + " unchanged");
        moved.add(after.completion());
      } else {
        assertEquals(before.completion(), after.completion());
      }
    }
    // A rotation among the chosen: the wrong completions are exactly the chosen ones' own.
    List<String> own = r.corrupted().stream().map(i -> clean.get(i).completion()).sorted().toList();
    assertEquals(own, moved.stream().sorted().toList());
    // Seeded: the same seed spoils the same examples; another seed others.
    assertEquals(r, new Corruption(0.25, 7).apply(clean));
    assertTrue(!r.corrupted().equals(new Corruption(0.25, 8).apply(clean).corrupted())
        || !r.equals(new Corruption(0.25, 8).apply(clean)));
  }

  @Test
  void equalCompletionsAreNotCountedAndNoFractionChangesNothing() {
    List<PromptCompletion> same = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      same.add(PromptCompletion.of("text " + i, "{\"people\": []}"));
    }
    assertEquals(List.of(), new Corruption(1.0, 1).apply(same).corrupted());
    assertEquals(examples(5), new Corruption(0.0, 1).apply(examples(5)).examples());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new Corruption(1.5, 1));
    assertTrue(bad.getMessage().contains("1.5") && bad.getMessage().contains("[0, 1]"), bad.getMessage());
  }
}
