/**
 * Internal: not part of the API. The backward engine, the graph recorder and the node kinds (not
 * exported by the module).
 */
package dev.autograd.core.engine;
