package dev.autograd.core.kernels;

/** Element-wise comparisons; their results are BOOL masks. */
public enum CompareOp {
  GT {
    public boolean test(double a, double b) {
      return a > b;
    }
  },
  LT {
    public boolean test(double a, double b) {
      return a < b;
    }
  },
  GE {
    public boolean test(double a, double b) {
      return a >= b;
    }
  },
  LE {
    public boolean test(double a, double b) {
      return a <= b;
    }
  },
  EQ {
    public boolean test(double a, double b) {
      return a == b;
    }
  },
  NE {
    public boolean test(double a, double b) {
      return a != b;
    }
  };

  public abstract boolean test(double a, double b);
}
