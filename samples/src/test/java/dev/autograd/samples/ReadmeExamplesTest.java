package dev.autograd.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Conv2d;
import dev.autograd.nn.Flatten;
import dev.autograd.nn.LSTM;
import dev.autograd.nn.Linear;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.io.Safetensors;
import dev.autograd.nn.optim.AdamW;
import dev.autograd.nn.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's Java examples that are not part of a sample, line for line (ReadmeSnippetsTest finds
 * them here), each followed by checks of what the README says it does.
 */
class ReadmeExamplesTest {
  @Test
  void hessianVectorProduct() {
    Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad_(true);
    Tensor v = Tensor.of(new double[] {1, 0.5, -1});
    Tensor y = x.pow(3).sum();
    Tensor g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, true)[0]; // 3x^2
    Tensor hv = Autograd.grad(g.mul(v).sum(), x)[0]; // diag(6x) v = [6, 6, -18]

    assertArrayEquals(new double[] {3, 12, 27}, g.toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {6, 6, -18}, hv.toDoubleArray(), 1e-12);
  }

  @Test
  void safetensorsRoundTrip() throws Exception {
    Sequential model = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
    Path file = Files.createTempFile("model", ".safetensors");
    Safetensors.save(model, file); // atomic: a temporary file, then a rename
    Safetensors.load(model, file, true); // strict: every key must match

    Sequential other = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
    Safetensors.load(other, file, true);
    assertArrayEquals(
        model.parameters().get(0).toDoubleArray(), other.parameters().get(0).toDoubleArray());
    Files.delete(file);
  }

  @Test
  void namedOptions() {
    Sequential model =
        new Sequential(
            Conv2d.with(1, 8, 3).padding(1).build(),
            new ReLU(),
            new Flatten(),
            new Linear(8 * 28 * 28, 10));
    SGD sgd = SGD.with(model.parameters()).lr(0.01).momentum(0.9).nesterov(true).build();
    AdamW adamW =
        AdamW.with(model.parameters())
            .lr(1e-3)
            .weightDecay(0.05)
            .build(); // unset: PyTorch's defaults
    LSTM lstm = LSTM.with(10, 20).numLayers(2).batchFirst(true).build();

    assertEquals(0.9, sgd.paramGroups().get(0).getDouble("momentum"));
    assertEquals(0.999, adamW.paramGroups().get(0).getDouble("beta2"));
    assertEquals("LSTM(10, 20, num_layers=2, batch_first=True)", lstm.toString());
    assertEquals(10, model.forward(Tensor.zeros(2, 1, 28, 28)).size(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SGD.with(model.parameters()).lr(-0.01).build());
    assertTrue(
        e.getMessage().equals("SGD: lr must be a finite number >= 0, got -0.01"), e.getMessage());
  }
}
