package org.tuninglab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tuninglab.data.synthetic.Lexicon;
import org.tuninglab.data.synthetic.Lexicon.Person;

/** Coined names are open-vocabulary (new ones keep coming), seeded, and half of all draws. */
class CoinedNamesTest {
  private static final int N = 2000;

  @Test
  void aboutHalfThePeopleAndTownsAreCoinedAndNearlyAllCoinedOnesAreNew() {
    SplittableRandom rng = new SplittableRandom(7);
    Set<String> lexicon = new HashSet<>(Lexicon.TOWNS);
    Lexicon.PEOPLE.forEach(p -> lexicon.add(p.name()));
    Set<String> coined = new HashSet<>();
    int coinedDraws = 0;
    for (int i = 0; i < N; i++) {
      for (String name : new String[] {CoinedNames.person(rng).name(), CoinedNames.town(rng)}) {
        assertTrue(name.matches("[A-Z][a-z]+"), name);
        if (!lexicon.contains(name)) {
          coinedDraws++;
          coined.add(name);
        }
      }
    }
    assertTrue(coinedDraws > 0.45 * 2 * N && coinedDraws < 0.55 * 2 * N, "coined " + coinedDraws);
    // Open vocabulary: a model cannot have memorised them, so it must copy them.
    assertTrue(coined.size() > 0.9 * coinedDraws, coined.size() + " distinct of " + coinedDraws);
  }

  @Test
  void anotherPersonIsNeverTheSameNameAndTheSameSeedGivesTheSameNames() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < N; i++) {
      Person a = CoinedNames.person(rng);
      assertNotEquals(a.name(), CoinedNames.other(a, rng).name());
    }
    SplittableRandom x = new SplittableRandom(11);
    SplittableRandom y = new SplittableRandom(11);
    for (int i = 0; i < 50; i++) {
      assertEquals(CoinedNames.surname(x), CoinedNames.surname(y));
    }
  }
}
