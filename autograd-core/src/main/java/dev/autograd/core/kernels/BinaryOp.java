package dev.autograd.core.kernels;

/** Element-wise functions of two values, with their scalar formula. */
public enum BinaryOp {
  ADD {
    public double apply(double a, double b) {
      return a + b;
    }
  },
  SUB {
    public double apply(double a, double b) {
      return a - b;
    }
  },
  MUL {
    public double apply(double a, double b) {
      return a * b;
    }
  },
  DIV {
    public double apply(double a, double b) {
      return a / b;
    }
  },
  // NOTE: maximum/minimum propagate NaN, like PyTorch (Math.max does too).
  MAX {
    public double apply(double a, double b) {
      return Math.max(a, b);
    }
  },
  MIN {
    public double apply(double a, double b) {
      return Math.min(a, b);
    }
  },
  POW {
    public double apply(double a, double b) {
      return cPow(a, b);
    }
  },
  ATAN2 {
    public double apply(double a, double b) {
      return Math.atan2(a, b);
    }
  };

  public abstract double apply(double a, double b);

  /**
   * C's {@code pow}, which PyTorch uses: as {@link Math#pow} except that {@code pow(1, y)} is 1 for
   * every y (NaN too) and {@code pow(-1, ±inf)} is 1, where Java gives NaN.
   */
  public static double cPow(double a, double b) {
    if (a == 1 || (a == -1 && Double.isInfinite(b))) return 1;
    return Math.pow(a, b);
  }
}
