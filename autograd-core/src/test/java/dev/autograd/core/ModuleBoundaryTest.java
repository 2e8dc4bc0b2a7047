package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.StorageAccess;
import dev.autograd.core.tensor.Storage;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module {@code dev.autograd.core} as a user on the module path sees it: the compiled
 * descriptor is loaded into a module layer of its own (the other tests run on the class path), and
 * a small consumer module is compiled against it.
 */
class ModuleBoundaryTest {
  private static final List<String> INTERNAL =
      List.of(
          "dev.autograd.core.engine",
          "dev.autograd.core.tensor",
          "dev.autograd.core.kernels",
          "dev.autograd.core.kernels.simd",
          "dev.autograd.core.ops",
          "dev.autograd.core.internal",
          "dev.autograd.core.internal.optim",
          "dev.autograd.core.internal.nn",
          "dev.autograd.core.compile");

  private static Path coreClasses;
  private static ModuleLayer layer;
  private static Module core;

  @BeforeAll
  static void loadTheModule() throws URISyntaxException {
    coreClasses = Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(
        Files.exists(coreClasses.resolve("module-info.class")),
        "no module descriptor in " + coreClasses);
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf =
        boot.configuration()
            .resolve(ModuleFinder.of(coreClasses), ModuleFinder.of(), Set.of("dev.autograd.core"));
    layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    core = layer.findModule("dev.autograd.core").orElseThrow();
  }

  @Test
  void onlyTheApiPackagesAreExported() {
    assertTrue(core.isExported("dev.autograd.core"));
    assertTrue(core.isExported("dev.autograd.core.display"));
    for (String p : INTERNAL) {
      assertTrue(
          core.getPackages().contains(p),
          p + " is not in the module"); // so the next line tests something
      assertFalse(core.isExported(p), p + " is exported");
      assertFalse(core.isOpen(p), p + " is open");
    }
    Map<String, Set<String>> qualified = new TreeMap<>();
    for (ModuleDescriptor.Exports e : core.getDescriptor().exports())
      if (e.isQualified()) qualified.put(e.source(), e.targets());
    assertEquals(
        Map.of(
            "dev.autograd.core.internal.optim",
            Set.of("dev.autograd.nn"),
            "dev.autograd.core.internal.nn",
            Set.of("dev.autograd.nn")),
        qualified);
  }

  @Test
  void reflectionFromOutsideCannotCallTheEngine() throws ReflectiveOperationException {
    ClassLoader loader = layer.findLoader("dev.autograd.core");
    Method api = loader.loadClass("dev.autograd.core.Autograd").getMethod("isDetectAnomaly");
    assertEquals(Boolean.FALSE, api.invoke(null));
    Method engine =
        loader.loadClass("dev.autograd.core.engine.Engine").getMethod("isDetectAnomaly");
    assertThrows(IllegalAccessException.class, () -> engine.invoke(null));
    Method recycleAccess =
        loader.loadClass("dev.autograd.core.internal.SharedSecrets").getMethod("storages");
    assertThrows(IllegalAccessException.class, () -> recycleAccess.invoke(null));
  }

  @Test
  void onTheClassPathTheAccessorsCannotBeReplaced() {
    // the internal package's setters are public: they take an accessor declared in the opened class
    // only, once
    StorageAccess foreign =
        new StorageAccess() {
          @Override
          public void recycle(Storage s) {}

          @Override
          public void share(Storage target, Storage source) {}
        };
    assertThrows(IllegalArgumentException.class, () -> SharedSecrets.setStorageAccess(foreign));
    assertThrows(
        IllegalStateException.class, () -> SharedSecrets.setTensorAccess(SharedSecrets.tensors()));
    Tensor x = Tensor.ones(3).requiresGrad_();
    x.mul(2).sum().backward();
    assertArrayEquals(new float[] {2, 2, 2}, x.grad().toFloatArray());
  }

  @Test
  void theKernelsChoiceWorksOnTheModulePath() throws ReflectiveOperationException {
    // The Vector API is optional (requires static): read when the JVM has it, as the tests' JVM
    // does.
    Module vector = ModuleLayer.boot().findModule("jdk.incubator.vector").orElseThrow();
    assertTrue(core.canRead(vector));
    String name =
        (String)
            layer
                .findLoader("dev.autograd.core")
                .loadClass("dev.autograd.core.Autograd")
                .getMethod("kernels")
                .invoke(null);
    boolean simd = Boolean.parseBoolean(System.getProperty("autograd.simd", "true"));
    assertEquals(Autograd.kernels(), name); // the same choice as on the class path
    assertEquals(simd, name.startsWith("vector"), name);
  }

  @Test
  void aConsumerModuleCannotImportInternalPackages(@TempDir Path dir) throws IOException {
    Map<String, String> internal = new TreeMap<>();
    internal.put(
        "UsesEngine",
        "import dev.autograd.core.engine.Engine; class UsesEngine { boolean b = Engine.isDetectAnomaly(); }");
    internal.put(
        "UsesStorage", "import dev.autograd.core.tensor.Storage; class UsesStorage { Storage s; }");
    internal.put(
        "UsesKernels",
        "import dev.autograd.core.kernels.KernelProvider; class UsesKernels { Object k = KernelProvider.get(); }");
    internal.put(
        "UsesOps",
        "import dev.autograd.core.ops.FusedOptim; class UsesOps { Class<?> c = FusedOptim.class; }");
    internal.put(
        "UsesSecrets",
        "import dev.autograd.core.internal.SharedSecrets; class UsesSecrets { Object a = SharedSecrets.storages(); }");
    internal.put(
        "UsesFusedAdam",
        "import dev.autograd.core.internal.optim.FusedUpdates; class UsesFusedAdam { Class<?> c = FusedUpdates.class; }");
    List<Diagnostic<? extends JavaFileObject>> errors =
        compileConsumer(dir.resolve("bad"), internal);
    Set<String> failed =
        errors.stream()
            .map(d -> Path.of(d.getSource().toUri()).getFileName().toString().replace(".java", ""))
            .collect(Collectors.toSet());
    assertEquals(internal.keySet(), failed, "every internal import must fail: " + errors);
    for (Diagnostic<? extends JavaFileObject> d : errors) {
      assertTrue(
          d.getMessage(null).contains("is not visible")
              || d.getMessage(null).contains("does not export"),
          d.toString());
    }

    Map<String, String> api =
        Map.of(
            "UsesApi",
            "import dev.autograd.core.Autograd; import dev.autograd.core.Node; import dev.autograd.core.Tensor;"
                + " import dev.autograd.core.display.Graphs;"
                + " class UsesApi { Node n = Tensor.ones(2).requiresGrad_().mul(2).sum().gradFn(); String k = Autograd.kernels(); }");
    List<Diagnostic<? extends JavaFileObject>> apiErrors =
        compileConsumer(dir.resolve("good"), api);
    assertTrue(apiErrors.isEmpty(), apiErrors.toString());
  }

  // Compiles module "consumer" (requires dev.autograd.core) from {name: source}; returns the
  // errors.
  private static List<Diagnostic<? extends JavaFileObject>> compileConsumer(
      Path dir, Map<String, String> classes) throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("consumer"));
    List<Path> files = new ArrayList<>();
    files.add(
        Files.writeString(
            src.resolve("module-info.java"), "module consumer { requires dev.autograd.core; }"));
    for (Map.Entry<String, String> c : classes.entrySet()) {
      files.add(
          Files.writeString(
              src.resolve("consumer").resolve(c.getKey() + ".java"),
              "package consumer; " + c.getValue()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests need a JDK");
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, null)) {
      List<String> options =
          List.of(
              "--module-path",
              coreClasses.toString(),
              "-d",
              dir.resolve("out").toString(),
              "-proc:none");
      javac
          .getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files))
          .call();
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .collect(Collectors.toList());
  }
}
