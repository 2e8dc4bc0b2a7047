/**
 * Neural-network building blocks on top of {@code dev.autograd.core}: modules and layers, losses,
 * optimizers, initialisers, data loading and weight files (training-history charts are in
 * autograd-charts).
 */
module dev.autograd.nn {
  requires transitive dev.autograd.core; // Tensor is in every signature here

  exports dev.autograd.nn;
  exports dev.autograd.nn.data;
  exports dev.autograd.nn.display;
  exports dev.autograd.nn.init;
  exports dev.autograd.nn.io;
  exports dev.autograd.nn.optim;
}
