package dev.autograd.core.display;

import dev.autograd.core.Format;
import dev.autograd.core.Tensor;

/**
 * A tensor as an HTML fragment for notebooks: a header with shape, dtype, {@code requires_grad} and
 * {@code grad_fn}, then the values — a table for 1-D and 2-D tensors (clipped to the first and last
 * rows and columns, with an ellipsis, as PyTorch summarises), the PyTorch printout otherwise.
 */
public final class TensorHtml {
  private TensorHtml() {}

  /** The tensor as an HTML fragment, clipped to 10 rows and 10 columns. */
  public static String render(Tensor t) {
    return render(t, 10, 10);
  }

  /** Shows at most {@code maxRows} rows and {@code maxCols} columns of a 2-D tensor. */
  public static String render(Tensor t, int maxRows, int maxCols) {
    StringBuilder sb = new StringBuilder("<div class=\"autograd-tensor\">");
    sb.append("<div style=\"font-family:monospace;margin-bottom:4px\"><b>Tensor</b> shape ")
        .append(java.util.Arrays.toString(t.shape()))
        .append(" &middot; ")
        .append(t.dtype().torchName());
    if (t.gradFn() != null)
      sb.append(" &middot; grad_fn=").append(GraphSvg.escape(t.gradFn().name()));
    else if (t.requiresGrad()) sb.append(" &middot; requires_grad=True");
    sb.append("</div>");
    if (t.dim() > 2 || t.numel() == 0) {
      sb.append("<pre>").append(GraphSvg.escape(t.toString())).append("</pre>");
    } else {
      int rows = t.dim() == 2 ? t.size(0) : 1;
      int cols = t.dim() == 0 ? 1 : t.size(-1);
      String[] cells = Format.elements(t);
      sb.append("<table style=\"font-family:monospace;border-collapse:collapse\">");
      for (int r : pick(rows, maxRows)) {
        sb.append("<tr>");
        for (int c : pick(cols, maxCols)) {
          String v = r < 0 || c < 0 ? "&hellip;" : GraphSvg.escape(cells[r * cols + c].trim());
          sb.append("<td style=\"padding:2px 8px;text-align:right\">").append(v).append("</td>");
        }
        sb.append("</tr>");
      }
      sb.append("</table>");
    }
    return sb.append("</div>").toString();
  }

  // indices to show: all when n <= max, else the first and last halves with -1 for the ellipsis
  private static int[] pick(int n, int max) {
    if (n <= max) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) all[i] = i;
      return all;
    }
    int head = (max + 1) / 2, tail = max / 2;
    int[] out = new int[head + tail + 1];
    for (int i = 0; i < head; i++) out[i] = i;
    out[head] = -1;
    for (int i = 0; i < tail; i++) out[head + 1 + i] = n - tail + i;
    return out;
  }
}
