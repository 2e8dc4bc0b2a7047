package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.internal.SharedSecrets;

/**
 * The op table's view-gradient family: a gradient written into zeros through a view (the derivative
 * of every view op), and in-place writes into views (PyTorch's CopySlices, with the as_strided view
 * that regenerates a view's history from its base's).
 */
public final class ViewGrads {
  private ViewGrads() {}

  // ===============================================================================================
  // The gradient of a view: g written into zeros of the base's shape through the same view
  // ===============================================================================================

  /** A view (one or more view entries applied in turn) of a tensor of {@code baseShape}. */
  public record ViewOf(int[] baseShape, OpDef<?>[] views, Object[] attrs) {
    @SuppressWarnings("unchecked")
    Tensor apply(Tensor t) {
      for (int i = 0; i < views.length; i++) t = ((OpDef<Object>) views[i]).call(attrs[i], t);
      return t;
    }
  }

  /**
   * The gradient of a view op: zeros of the base's shape with g written into the view. It is itself
   * differentiable (its derivative applies the same view), so view ops have second derivatives.
   */
  public static final OpDef<ViewOf> VIEW_SCATTER =
      OpDef.<ViewOf>op("ViewScatterBackward0")
          .name("view_scatter")
          .shape((in, v) -> new OpDef.OutSpec(in[0].dtype(), v.baseShape()))
          .kernel(
              (in, v, out) -> {
                Creation.fill(out, 0);
                try (GradMode.Scope s = GradMode.scope(false)) {
                  Creation.copyValues(in[0], v.apply(out));
                }
              })
          .derivative((gg, n, v) -> new Tensor[] {v.apply(gg)})
          .linearTangent()
          .build();

  static <A> Tensor scatterIntoView(Tensor g, int[] baseShape, OpDef<A> view, A attrs) {
    return VIEW_SCATTER.call(new ViewOf(baseShape, new OpDef<?>[] {view}, new Object[] {attrs}), g);
  }

  // ===============================================================================================
  // In-place on views (PyTorch's CopySlices): see Note [views and in-place] in Tensor
  // ===============================================================================================

  /**
   * A view's geometry inside a contiguous tensor of {@code baseShape}: offset (from the base's
   * first element), shape and strides; {@code region} marks its elements (true inside; only
   * CopySlices reads it, so as_strided's geometry has none).
   */
  public record Strided(int[] baseShape, int offset, int[] shape, int[] strides, Tensor region) {}

  // the view of a contiguous base-shaped tensor; gradient: g written into zeros through the same
  // view
  public static final OpDef<Strided> AS_STRIDED =
      OpDef.<Strided>op("AsStridedBackward0")
          .name("as_strided")
          .view(
              (in, v) -> {
                Tensor b =
                    NnSupport.dense(
                        in[0]); // a gradient may arrive strided; the geometry is a contiguous
                // layout's
                return Movement.view(b, b.storageOffset() + v.offset(), v.shape(), v.strides());
              })
          .derivative(
              (g, n, v) ->
                  new Tensor[] {scatterIntoView(g, v.baseShape(), ViewGrads.AS_STRIDED, v)})
          .linearTangent()
          .build();

  /**
   * The base after a write of {@code src} into its view: inputs [base before, src]; d/dbase = g
   * with the view's region zeroed, d/dsrc = g's view. In-place ops on views write the base's
   * storage themselves and only record this node ({@link #copySlices}); called, it computes the
   * same value out of place.
   */
  public static final OpDef<Strided> COPY_SLICES =
      OpDef.<Strided>op("CopySlices")
          .name("copy_slices")
          .compute(
              (in, v) -> {
                Tensor out = in[0].clone();
                Creation.copyValues(
                    in[1],
                    Movement.view(out, out.storageOffset() + v.offset(), v.shape(), v.strides()));
                return out;
              })
          .derivative(
              (g, n, v) ->
                  new Tensor[] {
                    n.needsGrad(0) ? g.maskedFill(v.region(), 0) : null,
                    n.needsGrad(1) ? AS_STRIDED.call(v, g) : null
                  })
          .linearTangent()
          .build();

  /**
   * {@code view}'s geometry in its base, which must be laid out contiguously; the region mask only
   * {@code withRegion}.
   */
  static Strided geometry(Tensor base, Tensor view, boolean withRegion) {
    if (!base.isContiguous()) {
      throw new UnsupportedOperationException(
          "in-place change of a view of a non-contiguous tensor that requires grad is not supported;"
              + " make the base contiguous() first");
    }
    int[] shape = view.shape(), strides = view.stride();
    int offset = view.storageOffset() - base.storageOffset();
    Tensor region = null;
    if (withRegion) {
      region = Creation.zeros(DType.BOOL, base.shapeRef());
      Creation.copyValues(
          Tensor.scalar(1, DType.BOOL).expand(shape),
          Movement.view(region, offset, shape, strides));
      if (dev.autograd.core.compile.Tracer.active)
        dev.autograd.core.compile.Tracer.constant(
            region); // a constant of a trace (its derivative reads it)
    }
    return new Strided(base.shape(), offset, shape, strides, region);
  }

  /**
   * Records that {@code src} was written into {@code view}: the base's history becomes COPY_SLICES.
   */
  public static void copySlices(Tensor base, Tensor view, Tensor src) {
    Strided v = geometry(base, view, true);
    Tensor[] in = {base, src};
    if (!Graph.needsRecording(in)) return;
    Tensor[] edges = in.clone();
    dev.autograd.core.Node node = Graph.node(COPY_SLICES, v, edges, null);
    SharedSecrets.tensors().rebaseHistory(base, node);
  }

  /**
   * Gives {@code view} a grad_fn from its base's current history (see Note [views and in-place]).
   */
  public static void asStridedOfBase(Tensor base, Tensor view) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      AS_STRIDED.record(geometry(base, view, false), new Tensor[] {base}, view);
    }
  }
}
