package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Tensor;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module {@code dev.autograd.nn} on a module layer of its own (the other tests run on the class
 * path): what it exports, and that its Adam reaches core's fused update through the one qualified
 * export core makes to it.
 */
class ModuleBoundaryTest {
  private static ModuleLayer layer;

  @BeforeAll
  static void loadTheModules() throws URISyntaxException {
    ModuleFinder finder =
        ModuleFinder.of(
            locationOf(Tensor.class), locationOf(Module.class)); // nn needs nothing else
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf =
        boot.configuration().resolve(finder, ModuleFinder.of(), Set.of("dev.autograd.nn"));
    layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
  }

  private static Path locationOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void nnExportsItsApiAndReachesOnlyTheFusedUpdatesOfCore() {
    java.lang.Module nn = layer.findModule("dev.autograd.nn").orElseThrow();
    java.lang.Module core = layer.findModule("dev.autograd.core").orElseThrow();
    Set<String> exported =
        nn.getDescriptor().exports().stream()
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet());
    assertEquals(nn.getPackages(), exported, "every nn package is API");
    assertTrue(nn.canRead(core));
    assertTrue(core.isExported("dev.autograd.core.internal.optim", nn));
    assertTrue(core.isExported("dev.autograd.core.internal.nn", nn));
    for (String p :
        List.of(
            "dev.autograd.core.engine",
            "dev.autograd.core.internal",
            "dev.autograd.core.ops",
            "dev.autograd.core.tensor")) {
      assertFalse(core.isExported(p, nn), p + " is exported to nn");
    }
  }

  @Test
  void adamStepsOnTheModulePath() throws ReflectiveOperationException {
    ClassLoader loader = layer.findLoader("dev.autograd.nn");
    Class<?> tensor = loader.loadClass("dev.autograd.core.Tensor");
    assertEquals("dev.autograd.core", tensor.getModule().getName()); // not the class-path copy
    Object p = tensor.getMethod("ones", int[].class).invoke(null, (Object) new int[] {3});
    tensor.getMethod("requiresGrad_").invoke(p);
    tensor
        .getMethod("setGrad", tensor)
        .invoke(p, tensor.getMethod("ones", int[].class).invoke(null, (Object) new int[] {3}));
    Class<?> adam = loader.loadClass("dev.autograd.nn.optim.Adam");
    Object optimizer = adam.getConstructor(List.class, double.class).newInstance(List.of(p), 0.1);
    adam.getMethod("step").invoke(optimizer); // the fused update, through the qualified export
    // Adam's first step moves each element by lr (times 1 / (1 + eps)) against the gradient's sign.
    assertArrayEquals(
        new float[] {0.9f, 0.9f, 0.9f},
        (float[]) tensor.getMethod("toFloatArray").invoke(p),
        1e-6f);
  }
}
