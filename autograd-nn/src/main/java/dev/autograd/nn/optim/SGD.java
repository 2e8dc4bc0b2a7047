package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's momentum: d = g + wd·p; buf = d (first step) or
 * momentum·buf + (1 - dampening)·d; d = d + momentum·buf (nesterov) or buf; p -= lr·d.
 */
public class SGD extends Optimizer {
  public SGD(List<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, false);
  }

  public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    super(params, options("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay, "nesterov", nesterov));
    if (lr < 0) throw new IllegalArgumentException("Invalid learning rate: " + lr);
    if (nesterov && (momentum <= 0 || dampening != 0)) throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
  }

  @Override
  protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
    double wd = g.getDouble("weight_decay"), momentum = g.getDouble("momentum"), dampening = g.getDouble("dampening");
    Tensor d = wd != 0 ? grad.add(p, wd) : grad;
    if (momentum != 0) {
      Tensor buf = (Tensor) st.get("momentum_buffer");
      if (buf == null) {
        buf = d.clone();
        st.put("momentum_buffer", buf);
      } else {
        buf.mul_(momentum).add_(d, 1 - dampening);
      }
      d = g.getBoolean("nesterov") ? d.add(buf, momentum) : buf;
    }
    p.add_(d, -g.lr());
  }
}
