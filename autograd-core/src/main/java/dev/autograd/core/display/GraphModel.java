package dev.autograd.core.display;

import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.AccumulateGrad;
import dev.autograd.core.engine.OpNode;
import dev.autograd.core.internal.DrawnGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The autograd graph behind a tensor as vertices in layers: leaves at the top, the tensor itself at
 * the bottom, each op one layer below its deepest input. Shared by the DOT and SVG writers.
 */
final class GraphModel {
  enum Kind {
    OUTPUT,
    OP,
    LEAF,
    BACKWARD,
    EFFECT,
    GUARD
  }

  static final class Vertex {
    final int id;
    final Kind kind;
    final String title;
    final String detail;
    final String savedNote;
    int layer;
    double position;

    Vertex(int id, Kind kind, String title, String detail, String savedNote) {
      this.id = id;
      this.kind = kind;
      this.title = title;
      this.detail = detail;
      this.savedNote = savedNote;
    }
  }

  /** A data-flow edge: {@code from} (an input) feeds {@code to}. */
  record Edge(Vertex from, Vertex to) {}

  final List<Vertex> vertices = new ArrayList<>();
  final List<Edge> edges = new ArrayList<>();
  final List<List<Vertex>> layers = new ArrayList<>();

  GraphModel(Tensor root) {
    Vertex out =
        new Vertex(
            0,
            Kind.OUTPUT,
            "tensor " + Arrays.toString(root.shape()),
            root.dtype().torchName(),
            null);
    vertices.add(out);
    Node top = root.gradFn();
    if (top == null) {
      if (root.requiresGrad())
        out =
            new Vertex(
                0, Kind.LEAF, "leaf " + Arrays.toString(root.shape()), "requires_grad", null);
      vertices.set(0, out);
      layers.add(new ArrayList<>(List.of(out)));
      return;
    }
    Map<Node, Vertex> byNode = new IdentityHashMap<>();
    List<Node> nodes = reachable(top);
    nodes.sort(Comparator.comparingLong(Node::sequenceNr).reversed()); // consumers before inputs
    for (Node n : nodes) {
      Vertex v = vertexOf(n, vertices.size());
      vertices.add(v);
      byNode.put(n, v);
    }
    Map<Vertex, Integer> depth = new IdentityHashMap<>();
    depth.put(out, 0);
    Vertex topVertex = byNode.get(top);
    edges.add(new Edge(topVertex, out));
    depth.put(topVertex, 1);
    for (Node n : nodes) {
      Vertex v = byNode.get(n);
      for (Node next : n.nextFunctions()) {
        if (next == null) continue;
        Vertex w = byNode.get(next);
        edges.add(new Edge(w, v));
        depth.merge(w, depth.get(v) + 1, Math::max);
      }
    }
    int max = Collections.max(depth.values());
    for (int i = 0; i <= max; i++) layers.add(new ArrayList<>());
    for (Vertex v : vertices) {
      v.layer = max - depth.get(v);
      layers.get(v.layer).add(v);
    }
    orderLayers();
  }

  /**
   * A compiled function's trace (or any drawn DAG whose edges go from earlier boxes to later ones).
   */
  GraphModel(DrawnGraph g) {
    int[] layerOf = new int[g.boxes().size()];
    for (DrawnGraph.Edge e :
        g.edges()) { // boxes come in a topological order: one pass gives the longest path
      if (e.from() >= e.to())
        throw new IllegalArgumentException("internal error: edge " + e + " runs backwards");
    }
    List<DrawnGraph.Edge> sorted = new ArrayList<>(g.edges());
    sorted.sort(Comparator.comparingInt(DrawnGraph.Edge::to));
    for (DrawnGraph.Edge e : sorted)
      layerOf[e.to()] = Math.max(layerOf[e.to()], layerOf[e.from()] + 1);
    int max = 0;
    for (int i = 0; i < layerOf.length; i++) {
      DrawnGraph.Box b = g.boxes().get(i);
      Vertex v = new Vertex(i, kindOf(b.kind()), b.title(), b.detail(), null);
      v.layer = layerOf[i];
      vertices.add(v);
      max = Math.max(max, layerOf[i]);
    }
    for (int i = 0; i <= max; i++) layers.add(new ArrayList<>());
    for (Vertex v : vertices) layers.get(v.layer).add(v);
    for (DrawnGraph.Edge e : g.edges())
      edges.add(new Edge(vertices.get(e.from()), vertices.get(e.to())));
    orderLayers();
  }

  private static Kind kindOf(DrawnGraph.Kind k) {
    return switch (k) {
      case INPUT -> Kind.LEAF;
      case OP -> Kind.OP;
      case BACKWARD_OP -> Kind.BACKWARD;
      case EFFECT -> Kind.EFFECT;
      case GUARD -> Kind.GUARD;
      case OUTPUT -> Kind.OUTPUT;
    };
  }

  private Vertex vertexOf(Node n, int id) {
    if (n instanceof AccumulateGrad) {
      Tensor leaf = ((AccumulateGrad) n).variable();
      return new Vertex(
          id, Kind.LEAF, "leaf " + Arrays.toString(leaf.shape()), leaf.dtype().torchName(), null);
    }
    String saved = null;
    if (n instanceof OpNode) {
      List<int[]> shapes = ((OpNode) n).savedShapes();
      if (!shapes.isEmpty()) {
        StringBuilder sb = new StringBuilder("saves ");
        for (int i = 0; i < shapes.size(); i++)
          sb.append(i > 0 ? " " : "").append(Arrays.toString(shapes.get(i)));
        saved = sb.toString();
      }
    }
    return new Vertex(id, Kind.OP, n.name(), null, saved);
  }

  private static List<Node> reachable(Node top) {
    List<Node> out = new ArrayList<>();
    Map<Node, Boolean> seen = new IdentityHashMap<>();
    ArrayDeque<Node> stack = new ArrayDeque<>();
    stack.push(top);
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      if (seen.put(n, Boolean.TRUE) != null) continue;
      out.add(n);
      for (Node m : n.nextFunctions()) if (m != null) stack.push(m);
    }
    return out;
  }

  // One barycentre pass from the output upwards: a vertex sits near the mean of its consumers.
  private void orderLayers() {
    for (int i = layers.size() - 1; i >= 0; i--) {
      List<Vertex> layer = layers.get(i);
      if (i == layers.size() - 1) {
        for (int k = 0; k < layer.size(); k++) layer.get(k).position = k;
        continue;
      }
      for (Vertex v : layer) {
        double sum = 0;
        int count = 0;
        for (Edge e : edges) {
          if (e.from() == v && e.to().layer > v.layer) {
            sum += e.to().position;
            count++;
          }
        }
        v.position = count == 0 ? Double.MAX_VALUE : sum / count;
      }
      layer.sort(Comparator.comparingDouble((Vertex v) -> v.position).thenComparingInt(v -> v.id));
      for (int k = 0; k < layer.size(); k++) layer.get(k).position = k;
    }
  }
}
