package dev.autograd.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jetbrains.kotlinx.jupyter.libraries.LibraryDescriptor;
import org.jetbrains.kotlinx.jupyter.libraries.ParsingKt;
import org.junit.jupiter.api.Test;

/** The descriptor users point {@code %use} at is one the kernel's own parser reads. */
class LibraryDescriptorTest {
  @Test
  void theKernelParsesTheDescriptor() throws Exception {
    String json = Files.readString(Path.of("../samples/notebooks/autograd.json"));
    LibraryDescriptor d = ParsingKt.parseLibraryDescriptor(json);
    assertEquals(List.of("dev.autograd:autograd-dsl:$v"), d.getDependencies());
    assertEquals(List.of("*mavenLocal"), d.getRepositories());
    assertTrue(d.getImports().contains("dev.autograd.dsl.*"), d.getImports().toString());
    assertTrue(json.contains("\"v\": \"0.1.0-SNAPSHOT\""), "the version matches the build's");
  }
}
