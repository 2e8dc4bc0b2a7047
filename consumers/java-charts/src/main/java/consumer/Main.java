package consumer;

import dev.autograd.nn.display.History;
import dev.autograd.nn.display.NotebookDisplay;
import java.nio.file.Files;
import java.nio.file.Path;

/** A user's Java program that plots a training history with autograd-charts. */
public class Main {
  public static void main(String[] args) throws Exception {
    History history = new History();
    for (int step = 1; step <= 20; step++) history.step(1.0 / step);
    history.endEpoch();
    history.metric("accuracy", 0.9);
    Path png = Files.createTempFile("history", ".png");
    Path svg = Files.createTempFile("history", ".svg");
    history.toPng(png);
    history.toSvg(svg);
    byte[] bytes = Files.readAllBytes(png);
    System.out.println("PNG written: " + (bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G'));
    System.out.println("SVG written: " + Files.readString(svg).contains("<svg"));
    System.out.println("notebook bundle: " + NotebookDisplay.bundle(history).keySet());
    Files.delete(png);
    Files.delete(svg);
  }
}
