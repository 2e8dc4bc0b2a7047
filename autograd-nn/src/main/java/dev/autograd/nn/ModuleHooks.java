package dev.autograd.nn;

import dev.autograd.core.Context;
import dev.autograd.core.Function;
import dev.autograd.core.GradMode;
import dev.autograd.core.RemovableHandle;
import dev.autograd.core.Tensor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hooks of one module and the call that runs them (PyTorch's {@code Module._call_impl}):
 * forward pre-hooks, forward, forward hooks; full backward hooks through identity nodes wrapped
 * around the input and the output (PyTorch's {@code BackwardHook}).
 */
final class ModuleHooks {
  private final List<Module.ForwardPreHook> preHooks = new CopyOnWriteArrayList<>();
  private final List<Module.ForwardHook> forwardHooks = new CopyOnWriteArrayList<>();
  private final List<Module.FullBackwardHook> backwardHooks = new CopyOnWriteArrayList<>();

  boolean isEmpty() {
    return preHooks.isEmpty() && forwardHooks.isEmpty() && backwardHooks.isEmpty();
  }

  RemovableHandle addPre(Module.ForwardPreHook h) {
    preHooks.add(h);
    return () -> preHooks.remove(h);
  }

  RemovableHandle addForward(Module.ForwardHook h) {
    forwardHooks.add(h);
    return () -> forwardHooks.remove(h);
  }

  RemovableHandle addBackward(Module.FullBackwardHook h) {
    backwardHooks.add(h);
    return () -> backwardHooks.remove(h);
  }

  Tensor call(Module m, Tensor input) {
    for (Module.ForwardPreHook h : preHooks) {
      Tensor r = h.apply(m, input);
      if (r != null) input = r;
    }
    BackwardCall bw =
        backwardHooks.isEmpty() || !GradMode.isEnabled()
            ? null
            : new BackwardCall(m, backwardHooks);
    if (bw != null) input = bw.wrapInput(input);
    Tensor out = m.forward(input);
    for (Module.ForwardHook h : forwardHooks) {
      Tensor r = h.apply(m, input, out);
      if (r != null) out = r;
    }
    if (bw != null) out = bw.wrapOutput(out);
    return out;
  }

  /**
   * One call's backward hooks: the output's node records grad_output, the input's node runs the
   * hooks with grad_input.
   */
  private static final class BackwardCall {
    private final Module module;
    private final List<Module.FullBackwardHook> hooks;
    private boolean inputNeedsGrad;
    private Tensor gradOutput;

    BackwardCall(Module module, List<Module.FullBackwardHook> hooks) {
      this.module = module;
      this.hooks = List.copyOf(hooks);
    }

    Tensor wrapInput(Tensor x) {
      inputNeedsGrad = x.requiresGrad();
      return inputNeedsGrad ? new HookFunction(this, true).apply(x) : x;
    }

    Tensor wrapOutput(Tensor y) {
      return y.requiresGrad() ? new HookFunction(this, false).apply(y) : y;
    }

    Tensor atOutput(Tensor g) {
      gradOutput = g;
      if (!inputNeedsGrad)
        run(new Tensor[] {null}); // no input node will run: the hooks see grad_input (null,) now
      return g;
    }

    Tensor atInput(Tensor g) {
      return run(new Tensor[] {g})[0];
    }

    private Tensor[] run(Tensor[] gradInput) {
      Tensor[] gradOut = {gradOutput};
      for (Module.FullBackwardHook h : hooks) {
        Tensor[] r = h.apply(module, gradInput.clone(), gradOut.clone());
        if (r == null) continue;
        if (r.length != gradInput.length) {
          throw new IllegalStateException(
              "Backward hook returned an invalid number of grad_input, got "
                  + r.length
                  + ", but expected "
                  + gradInput.length);
        }
        if (r[0] != null
            && gradInput[0] != null
            && !java.util.Arrays.equals(r[0].shape(), gradInput[0].shape())) {
          throw new IllegalStateException(
              "Backward hook returned a grad_input of shape "
                  + java.util.Arrays.toString(r[0].shape())
                  + ", expected "
                  + java.util.Arrays.toString(gradInput[0].shape()));
        }
        gradInput = r;
      }
      return gradInput;
    }
  }

  /**
   * PyTorch's {@code BackwardHookFunction}: an identity whose backward runs the module's backward
   * hooks.
   */
  private static final class HookFunction extends Function {
    private final BackwardCall call;
    private final boolean atInput;

    HookFunction(BackwardCall call, boolean atInput) {
      this.call = call;
      this.atInput = atInput;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      return in[0];
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor g) {
      return new Tensor[] {atInput ? call.atInput(g) : call.atOutput(g)};
    }

    @Override
    protected String name() {
      return "BackwardHookFunctionBackward";
    }
  }
}
