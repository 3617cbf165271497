package org.tuninglab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerFactsTest {

  @Test
  void keyFactsAreNumbersIdentifiersAndNamesButNotASentencesFirstWord() {
    assertEquals(List.of("Roost"), AnswerFacts.facts("Through the Roost portal."));
    assertEquals(List.of("2"), AnswerFacts.facts("Within 2 business days."));
    assertEquals(List.of("login.peregrine.example.edu", "2200"),
        AnswerFacts.facts("login.peregrine.example.edu on port 2200."));
    assertEquals(List.of("Duo", "Mobile"), AnswerFacts.facts("The Duo Mobile app."));
    assertEquals(List.of("85", "TB", "4"), AnswerFacts.facts("$85 per TB per year, at least 4 TB."));
    assertEquals(List.of("--gres=gpu:h100:2"), AnswerFacts.facts("--gres=gpu:h100:2"));
    assertEquals(List.of("script.sh"), AnswerFacts.facts("sbatch script.sh"));
    assertEquals(List.of("hpc-help@peregrine.example.edu"),
        AnswerFacts.facts("hpc-help@peregrine.example.edu"));
    assertEquals(List.of("Thursday", "13:00", "15:00", "Room", "214", "Barre", "Hall"),
        AnswerFacts.facts("Every Thursday from 13:00 to 15:00 in Room 214 of Barre Hall."));
    assertEquals(List.of(), AnswerFacts.facts("Yes, on request."));
  }

  @Test
  void aReplyScoresWhenItStatesEveryFactInAnyWording() {
    assertTrue(AnswerFacts.contains("Scratch files are deleted after 21 days [2].", "21 days."));
    assertTrue(AnswerFacts.contains("Use the nestbox... no: the ROOST portal [1]", "Through the Roost portal."));
    assertTrue(AnswerFacts.contains("SSH to login.peregrine.example.edu, port 2200 [1].",
        "login.peregrine.example.edu on port 2200."));
    assertTrue(AnswerFacts.contains("yes - on request", "Yes, on request."));
  }

  @Test
  void aReplyMissingOneFactOrMatchingOnlyInsideAWordScoresZero() {
    assertFalse(AnswerFacts.contains("Within two business days.", "Within 2 business days."));
    assertFalse(AnswerFacts.contains("Port 2200 [1].", "login.peregrine.example.edu on port 2200."));
    assertFalse(AnswerFacts.contains("Connect on port 22000.", "port 2200."), "2200 inside 22000");
    assertFalse(AnswerFacts.contains("dtn40.peregrine.example.edu", "dtn4"));
    assertFalse(AnswerFacts.contains("I do not know.", "Yes, on request."));
    assertFalse(AnswerFacts.contains("", "21 days."));
  }

  @Test
  void theRateIsTheMeanOverReplies() {
    LabelledExample e = LabelledExample.of("q1", "How long?", "21 days.");
    AnswerFacts metric = AnswerFacts.create();
    assertEquals("answer_facts", metric.name());
    assertEquals(1.0, metric.score(e, "21 days [1]"));
    assertEquals(0.0, metric.score(e, "I do not know."));
  }
}
