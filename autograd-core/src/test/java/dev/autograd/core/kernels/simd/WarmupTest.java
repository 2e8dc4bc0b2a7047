package dev.autograd.core.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a vector loop gets a whole call, and when only the cold share of it. */
class WarmupTest {
  @Test
  void aColdLoopGetsThePrefixOfMidSizedCallsOnly() {
    Warmup w = new Warmup();
    assertEquals(Warmup.PREFIX, w.share(6_400));
    assertEquals(Warmup.PREFIX, w.share(Warmup.PREFIX + 1));
    assertEquals(Warmup.PREFIX, w.share(Warmup.WHOLE - 1));
    assertEquals(Warmup.WHOLE, w.share(Warmup.WHOLE), "a long call runs whole");
    assertEquals(100_000, w.share(100_000));
    assertEquals(Warmup.PREFIX, w.share(Warmup.PREFIX), "a short call runs whole");
    assertEquals(17, w.share(17));
    assertEquals(0, w.share(0));
  }

  @Test
  void slowPrefixesKeepItColdAndThreeFastOnesWarmIt() {
    Warmup w = new Warmup();
    for (int i = 0; i < 100; i++) w.record(20_000); // interpreted: tens of microseconds
    for (int i = 0; i < 100; i++) w.record(1_700); // C1: boxed vectors still
    assertFalse(w.isWarm());
    w.record(300); // C2: the 32 one-vector calls of a prefix
    w.record(5_000); // a preemption between fast readings does not start the count again
    w.record(400);
    assertFalse(w.isWarm(), "two fast readings are not enough");
    w.record(220);
    assertTrue(w.isWarm());
    assertEquals(6_400, w.share(6_400));
  }

  @Test
  void aWarmedLoopTakesWholeCallsFromTheStart() {
    assertEquals(6_400, Warmup.warmed().share(6_400));
    Warmup[] ws = Warmup.perOp(3, true);
    assertEquals(3, ws.length);
    for (Warmup w : ws) assertTrue(w.isWarm());
    for (Warmup w : Warmup.perOp(2, false)) assertEquals(Warmup.PREFIX, w.share(1000));
  }
}
