/**
 * Neural-network building blocks on top of {@code dev.autograd.core}: modules and layers, losses,
 * optimizers, initialisers, data loading, weight files and training-history charts.
 */
@SuppressWarnings("requires-automatic") // the chart libraries are plain jars
module dev.autograd.nn {
  requires transitive dev.autograd.core; // Tensor is in every signature here
  // Training-history charts: XChart draws them (PNG with java.awt, SVG through VectorGraphics2D,
  // a dependency of XChart). VectorGraphics2D 0.13 has no Automatic-Module-Name, so its name
  // comes from the jar file; requiring it puts it on the module path next to XChart.
  requires java.desktop;
  requires org.knowm.xchart;
  requires VectorGraphics2D;

  exports dev.autograd.nn;
  exports dev.autograd.nn.data;
  exports dev.autograd.nn.display;
  exports dev.autograd.nn.init;
  exports dev.autograd.nn.io;
  exports dev.autograd.nn.optim;
}
