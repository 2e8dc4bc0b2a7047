package dev.autograd.nn;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.init.Init;

/**
 * A multi-layer LSTM, PyTorch's {@code nn.LSTM}: per layer k, parameters weight_ih_lk [4H, in],
 * weight_hh_lk [4H, H], bias_ih_lk and bias_hh_lk [4H], gates in the order i, f, g, o, all
 * initialised U(±1/sqrt(H)). Input [T, N, in] ([N, T, in] with batchFirst, or unbatched [T, in]).
 */
public class LSTM extends Module {
  private final int inputSize, hiddenSize, numLayers;
  private final boolean bias, batchFirst;

  /** The output sequence of the last layer and the final (h, c) of every layer, each [L, N, H]. */
  public static final class Output {
    /** The last layer's hidden state at every step: [T, N, H] ([N, T, H] with batchFirst). */
    public final Tensor output;

    /** The final hidden state of every layer, [L, N, H]. */
    public final Tensor hN;

    /** The final cell state of every layer, [L, N, H]. */
    public final Tensor cN;

    Output(Tensor output, Tensor hN, Tensor cN) {
      this.output = output;
      this.hN = hN;
      this.cN = cN;
    }
  }

  /**
   * A one-layer LSTM with biases, sequence-first input ({@code nn.LSTM(input_size, hidden_size)}).
   */
  public LSTM(int inputSize, int hiddenSize) {
    this(inputSize, hiddenSize, 1, true, false, null);
  }

  /**
   * An LSTM with the given layers, biases and layout, its weights drawn from {@code gen} (null: the
   * default generator).
   */
  public LSTM(
      int inputSize,
      int hiddenSize,
      int numLayers,
      boolean bias,
      boolean batchFirst,
      Generator gen) {
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    double k = 1 / Math.sqrt(hiddenSize);
    for (int l = 0; l < numLayers; l++) {
      int in = l == 0 ? inputSize : hiddenSize;
      Init.uniform_(
          registerParameter("weight_ih_l" + l, Tensor.zeros(4 * hiddenSize, in)), -k, k, gen);
      Init.uniform_(
          registerParameter("weight_hh_l" + l, Tensor.zeros(4 * hiddenSize, hiddenSize)),
          -k,
          k,
          gen);
      if (bias) {
        Init.uniform_(registerParameter("bias_ih_l" + l, Tensor.zeros(4 * hiddenSize)), -k, k, gen);
        Init.uniform_(registerParameter("bias_hh_l" + l, Tensor.zeros(4 * hiddenSize)), -k, k, gen);
      }
    }
  }

  /**
   * LSTM with its options by name: {@code LSTM.with(10, 20).numLayers(2).batchFirst(true).build()}.
   * Unset options take PyTorch's defaults: one layer, with biases, input [T, N, in].
   */
  public static Builder with(int inputSize, int hiddenSize) {
    return new Builder(inputSize, hiddenSize);
  }

  /** The named options of {@link LSTM}; each setter checks its value. */
  public static final class Builder {
    private final int inputSize, hiddenSize;
    private int numLayers = 1;
    private boolean bias = true, batchFirst;
    private Generator gen;

    private Builder(int inputSize, int hiddenSize) {
      this.inputSize = positive("input_size", inputSize);
      this.hiddenSize = positive("hidden_size", hiddenSize);
    }

    private static int positive(String option, int v) {
      if (v < 1) throw new IllegalArgumentException("LSTM: " + option + " must be >= 1, got " + v);
      return v;
    }

    /** The number of stacked layers ({@code num_layers}, default 1). */
    public Builder numLayers(int numLayers) {
      this.numLayers = positive("num_layers", numLayers);
      return this;
    }

    /** Whether the gates have biases ({@code bias}, default true). */
    public Builder bias(boolean bias) {
      this.bias = bias;
      return this;
    }

    /**
     * Input and output as [N, T, features] instead of [T, N, features] ({@code batch_first},
     * default false).
     */
    public Builder batchFirst(boolean batchFirst) {
      this.batchFirst = batchFirst;
      return this;
    }

    /** The generator of the initial weights (default: the global one). */
    public Builder generator(Generator gen) {
      this.gen = gen;
      return this;
    }

    /**
     * The layer with the options set so far; throws IllegalArgumentException naming the first
     * invalid one.
     */
    public LSTM build() {
      return new LSTM(inputSize, hiddenSize, numLayers, bias, batchFirst, gen);
    }
  }

  /** The output sequence only (use {@link #forward(Tensor, Tensor, Tensor)} for the states). */
  @Override
  public Tensor forward(Tensor input) {
    return forward(input, null, null).output;
  }

  /** {@link #forward(Tensor, Tensor, Tensor)}; Kotlin's call operator: {@code lstm(x, h0, c0)}. */
  public Output invoke(Tensor input, Tensor h0, Tensor c0) {
    return forward(input, h0, c0);
  }

  /** Runs the sequence from initial states h0, c0 [L, N, H] (null: zeros). */
  public Output forward(Tensor input, Tensor h0, Tensor c0) {
    boolean unbatched = input.dim() == 2;
    if (input.dim() != 2 && input.dim() != 3) {
      throw new IllegalArgumentException(
          "LSTM: Expected input to be 2D or 3D, got " + input.dim() + "D instead");
    }
    Tensor x = unbatched ? input.unsqueeze(1) : (batchFirst ? input.transpose(0, 1) : input);
    if (x.size(2) != inputSize) {
      throw new IllegalArgumentException(
          "LSTM: input.size(-1) must be equal to input_size. Expected "
              + inputSize
              + ", got "
              + x.size(2));
    }
    int steps = x.size(0), n = x.size(1);
    if (unbatched) {
      if (h0 != null) h0 = h0.unsqueeze(1);
      if (c0 != null) c0 = c0.unsqueeze(1);
    }
    checkState("h0", h0, n);
    checkState("c0", c0, n);
    Tensor[] hs = new Tensor[numLayers], cs = new Tensor[numLayers];
    for (int l = 0; l < numLayers; l++) {
      Tensor h = h0 != null ? h0.select(0, l) : Tensor.zeros(x.dtype(), n, hiddenSize);
      Tensor c = c0 != null ? c0.select(0, l) : Tensor.zeros(x.dtype(), n, hiddenSize);
      Tensor wih = parameter("weight_ih_l" + l), whh = parameter("weight_hh_l" + l);
      Tensor bih = bias ? parameter("bias_ih_l" + l) : null,
          bhh = bias ? parameter("bias_hh_l" + l) : null;
      Tensor[] outs = new Tensor[steps];
      for (int t = 0; t < steps; t++) {
        Tensor gates =
            Functional.linear(x.select(0, t), wih, bih).add(Functional.linear(h, whh, bhh));
        Tensor i = gates.narrow(1, 0, hiddenSize).sigmoid();
        Tensor f = gates.narrow(1, hiddenSize, hiddenSize).sigmoid();
        Tensor g = gates.narrow(1, 2 * hiddenSize, hiddenSize).tanh();
        Tensor o = gates.narrow(1, 3 * hiddenSize, hiddenSize).sigmoid();
        c = f.mul(c).add(i.mul(g));
        h = o.mul(c.tanh());
        outs[t] = h;
      }
      hs[l] = h;
      cs[l] = c;
      x = Tensor.stack(0, outs);
    }
    Tensor hN = Tensor.stack(0, hs), cN = Tensor.stack(0, cs);
    if (unbatched) return new Output(x.squeeze(1), hN.squeeze(1), cN.squeeze(1));
    return new Output(batchFirst ? x.transpose(0, 1) : x, hN, cN);
  }

  private void checkState(String name, Tensor s, int batch) {
    if (s == null) return;
    int[] want = {numLayers, batch, hiddenSize};
    if (!java.util.Arrays.equals(s.shapeRef(), want)) {
      throw new IllegalArgumentException(
          "LSTM: Expected hidden state "
              + name
              + " size "
              + java.util.Arrays.toString(want)
              + ", got "
              + java.util.Arrays.toString(s.shapeRef()));
    }
  }

  @Override
  protected String extraRepr() {
    StringBuilder b = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
    if (numLayers != 1) b.append(", num_layers=").append(numLayers);
    if (!bias) b.append(", bias=False");
    if (batchFirst) b.append(", batch_first=True");
    return b.toString();
  }
}
