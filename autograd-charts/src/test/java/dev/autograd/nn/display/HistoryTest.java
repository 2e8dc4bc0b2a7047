package dev.autograd.nn.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  @Test
  void endEpochRecordsTheMeanOfItsSteps() {
    History h =
        new History().step(1).step(3).endEpoch().step(10).endEpoch().metric("accuracy", 0.5);
    assertEquals(List.of(1.0, 3.0, 10.0), h.stepLosses());
    assertEquals(List.of(2.0, 10.0), h.epochLosses());
    assertEquals(List.of(0.5), h.metrics().get("accuracy"));
    assertEquals("History(steps=3, epochs=2, loss=10.00, accuracy=0.5000)", h.toString());
    assertThrows(IllegalStateException.class, h::endEpoch);
  }

  @Test
  void writesPngAndSvgFiles(@TempDir Path dir) throws Exception {
    History h = new History();
    for (int i = 1; i <= 30; i++) h.step(1000.0 / i);
    h.epoch(50).epoch(5).epoch(1);
    h.toPng(dir.resolve("h.png"));
    BufferedImage img = ImageIO.read(dir.resolve("h.png").toFile());
    assertEquals(HistoryChart.PANEL_WIDTH, img.getWidth());
    assertEquals(HistoryChart.PANEL_HEIGHT, img.getHeight());
    h.toSvg(dir.resolve("h.svg"));
    byte[] svg = Files.readAllBytes(dir.resolve("h.svg"));
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(
        "http://apache.org/xml/features/nonvalidating/load-external-dtd",
        false); // offline: skip the SVG DTD
    assertEquals(
        "svg",
        f.newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg))
            .getDocumentElement()
            .getTagName());
    assertTrue(h.toHtml().startsWith("<img "));
  }

  @Test
  void anEmptyHistoryCannotBeDrawn() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new History().toHtml());
    assertTrue(e.getMessage().contains("step(loss)"), e.getMessage());
  }
}
