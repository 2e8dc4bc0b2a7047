package dev.autograd.core.kernels;

/**
 * Element-wise functions of one value (and an optional parameter {@code p}), with their scalar
 * formula. Kernels loop over these; the vector kernels override the hot ones.
 */
public enum UnaryOp {
  NEG {
    public double apply(double x, double p) {
      return -x;
    }
  },
  EXP {
    public double apply(double x, double p) {
      return Math.exp(x);
    }
  },
  LOG {
    public double apply(double x, double p) {
      return Math.log(x);
    }
  },
  LOG1P {
    public double apply(double x, double p) {
      return Math.log1p(x);
    }
  },
  EXPM1 {
    public double apply(double x, double p) {
      return Math.expm1(x);
    }
  },
  SQRT {
    public double apply(double x, double p) {
      return Math.sqrt(x);
    }
  },
  RSQRT {
    public double apply(double x, double p) {
      return 1 / Math.sqrt(x);
    }
  },
  ABS {
    public double apply(double x, double p) {
      return Math.abs(x);
    }
  },
  SIN {
    public double apply(double x, double p) {
      return Math.sin(x);
    }
  },
  COS {
    public double apply(double x, double p) {
      return Math.cos(x);
    }
  },
  TAN {
    public double apply(double x, double p) {
      return Math.tan(x);
    }
  },
  TANH {
    public double apply(double x, double p) {
      return Math.tanh(x);
    }
  },
  SIGMOID {
    // NOTE: two branches keep exp from overflowing for large |x|.
    public double apply(double x, double p) {
      if (x >= 0) return 1 / (1 + Math.exp(-x));
      double e = Math.exp(x);
      return e / (1 + e);
    }
  },
  RELU {
    public double apply(double x, double p) {
      return x > 0 ? x : (Double.isNaN(x) ? x : 0);
    }
  },
  LEAKY_RELU {
    public double apply(double x, double p) {
      return x > 0 ? x : x * p;
    }
  },
  RECIPROCAL {
    public double apply(double x, double p) {
      return 1 / x;
    }
  },
  SQUARE {
    public double apply(double x, double p) {
      return x * x;
    }
  },
  POW {
    public double apply(double x, double p) {
      if (p == 2) return x * x;
      if (p == 0.5)
        return Math.sqrt(
            x); // PyTorch's pow(x, 0.5) is sqrt: sqrt(-inf) is NaN where Math.pow gives inf
      if (p == -0.5) return 1 / Math.sqrt(x); // and rsqrt: rsqrt(-0) is -inf
      return BinaryOp.cPow(x, p);
    }
  },
  SOFTPLUS {
    // NOTE: PyTorch's threshold 20 (beta 1): above it softplus(x) is x to float precision.
    public double apply(double x, double p) {
      return x > 20 ? x : Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
  },
  ERF {
    public double apply(double x, double p) {
      return Erf.erf(x);
    }
  },
  GELU {
    public double apply(double x, double p) {
      return 0.5 * x * (1 + Erf.erf(x * 0.7071067811865476));
    }
  },
  SILU {
    public double apply(double x, double p) {
      return x * SIGMOID.apply(x, 0);
    }
  },
  SIGN {
    public double apply(double x, double p) {
      return (x > 0 ? 1 : 0) - (x < 0 ? 1 : 0); // sign(NaN) = 0 and sign(-0) = 0, as PyTorch's
    }
  },
  FLOOR {
    public double apply(double x, double p) {
      return Math.floor(x);
    }
  },
  CEIL {
    public double apply(double x, double p) {
      return Math.ceil(x);
    }
  },
  ROUND {
    // half to even, like PyTorch
    public double apply(double x, double p) {
      return Math.rint(x);
    }
  },
  ADD_SCALAR {
    public double apply(double x, double p) {
      return x + p;
    }
  },
  MUL_SCALAR {
    public double apply(double x, double p) {
      return x * p;
    }
  };

  /** The function at {@code x}, with parameter {@code p} where the op has one. */
  public abstract double apply(double x, double p);
}
