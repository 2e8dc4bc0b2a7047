package dev.autograd.nn.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.nn.Linear;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleHtmlTest {
  @Test
  void rowsNameEveryLayerWithItsOwnParameters() {
    Sequential net =
        new Sequential(new Linear(2, 3), new Sequential(new ReLU(), new Linear(3, 1, false)));
    List<ModuleHtml.Row> rows = ModuleHtml.rows(net);
    assertEquals(List.of("0", "1", "1.0", "1.1"), rows.stream().map(ModuleHtml.Row::name).toList());
    assertEquals(List.of(0, 0, 1, 1), rows.stream().map(ModuleHtml.Row::depth).toList());
    assertEquals(List.of(9L, 0L, 0L, 3L), rows.stream().map(ModuleHtml.Row::count).toList());
    assertArrayEquals(new int[] {1, 3}, rows.get(3).parameters().get("weight"));
    assertEquals("Linear(in_features=3, out_features=1, bias=False)", rows.get(3).repr());
    assertEquals("", rows.get(1).repr()); // containers list their children as rows instead
  }

  @Test
  void aSingleLayerIsItsOwnRowAndTotalsAreGrouped() {
    Linear big = new Linear(1000, 1000);
    assertEquals(
        List.of("(root)"), ModuleHtml.rows(big).stream().map(ModuleHtml.Row::name).toList());
    String html = ModuleHtml.render(big);
    assertTrue(html.contains("Total params: <span class=\"total\">1,001,000</span>"), html);
    big.parameter("bias").requiresGrad_(false);
    assertEquals(1_000_000, ModuleHtml.trainableParameters(big));
  }
}
