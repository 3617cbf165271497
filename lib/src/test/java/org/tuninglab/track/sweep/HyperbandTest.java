package org.tuninglab.track.sweep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HyperbandTest {

  @Test
  void rungsAreAtMinIterTimesPowersOfEta() {
    Hyperband hb = new Hyperband(1, 3, 0);
    for (int i : new int[] {1, 3, 9, 27}) {
      assertTrue(hb.isRung(i), "rung " + i);
    }
    for (int i : new int[] {2, 4, 8, 10}) {
      assertFalse(hb.isRung(i), "not a rung " + i);
    }
    assertFalse(new Hyperband(2, 2, 4).isRung(8));
    assertTrue(new Hyperband(2, 2, 4).isRung(4));
  }

  @Test
  void keepsTheBestThirdAndNeedsEtaTrialsToDecide() {
    Hyperband hb = new Hyperband(1, 3, 0);
    assertFalse(hb.shouldStop(9.0, List.of(1.0), Goal.MINIMIZE), "too few trials to halve");
    assertFalse(hb.shouldStop(1.0, List.of(2.0, 3.0), Goal.MINIMIZE));
    assertTrue(hb.shouldStop(2.0, List.of(1.0, 3.0), Goal.MINIMIZE));
    assertFalse(hb.shouldStop(3.0, List.of(1.0, 2.0), Goal.MAXIMIZE));
    assertTrue(hb.shouldStop(Double.NaN, List.of(1.0, 2.0), Goal.MINIMIZE));
  }
}
