/**
 * The node framework: how a graph node is declared and called. No HTTP, no executor.
 *
 * <ul>
 *   <li>{@link dev.bakehouse.node.Node}: one final class per node type; declares a
 *       {@link dev.bakehouse.node.NodeSpec} (sealed {@link dev.bakehouse.node.InputSpec} widgets and
 *       sockets, {@link dev.bakehouse.node.OutputSpec}s, flags) and runs with
 *       {@link dev.bakehouse.node.NodeInputs} and a {@link dev.bakehouse.node.NodeContext}.</li>
 *   <li>{@link dev.bakehouse.node.NodeRegistry}: the node types of one server, built from factories;
 *       {@link dev.bakehouse.node.BasicNodes} is the set every server has.</li>
 *   <li>{@link dev.bakehouse.node.ObjectInfo}: {@code /object_info} generated from specs. INT
 *       bounds and values are exact at any size ({@link dev.bakehouse.node.JsonIntegers}): seeds
 *       span 0 .. 2^64-1 and reach nodes through {@link dev.bakehouse.node.NodeInputs#getSeed}.</li>
 *   <li>{@link dev.bakehouse.node.DataDirs}: the data folders and safe name resolution.</li>
 *   <li>Values: {@link dev.bakehouse.node.ImageBatch} (IMAGE), {@link dev.bakehouse.node.Mask} (MASK);
 *       other socket values (MODEL, LATENT, …) are whatever their producing node returns.</li>
 * </ul>
 */
package dev.bakehouse.node;
