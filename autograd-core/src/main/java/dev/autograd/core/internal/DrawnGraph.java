package dev.autograd.core.internal;

import java.util.List;

/**
 * A graph to draw, in neutral terms: boxes (a kind that picks the colour, a title and an optional
 * detail line) and edges between box indices, data flowing from {@code from} to {@code to}. The
 * compiler describes its traces this way so that the display package can lay them out and draw them
 * as it draws autograd graphs, without either package reaching into the other.
 */
public record DrawnGraph(List<Box> boxes, List<Edge> edges) {
  /** What a box stands for; the display gives each kind its own colour. */
  public enum Kind {
    INPUT,
    OP,
    BACKWARD_OP,
    EFFECT,
    GUARD,
    OUTPUT
  }

  /** One box: its kind, its first line and an optional second line (null for none). */
  public record Box(Kind kind, String title, String detail) {}

  /** Data flows from box {@code from} to box {@code to} (indices into {@link #boxes()}). */
  public record Edge(int from, int to) {}
}
