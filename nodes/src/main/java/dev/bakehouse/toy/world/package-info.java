/**
 * The toy world: procedurally drawn scenes of simple shapes and colours with booru-style
 * captions, on which the embedded toy model is pretrained, and an analyzer that reads images
 * back into facts so tests can measure what a model draws.
 *
 * <ul>
 *   <li>{@link dev.bakehouse.toy.world.Scene} / {@link dev.bakehouse.toy.world.SceneObject}: what
 *       an image shows (background; shape, colour, size, grid position, kiki);
 *       {@link dev.bakehouse.toy.world.Captions} writes and parses their captions.</li>
 *   <li>{@link dev.bakehouse.toy.world.WorldGenerator}: seed + {@link dev.bakehouse.toy.world.SceneKind}
 *       to image, scene and caption; {@link dev.bakehouse.toy.world.KohyaDatasetWriter} writes N of
 *       them as a kohya {@code <repeats>_<name>} folder.</li>
 *   <li>{@link dev.bakehouse.toy.world.SceneAnalyzer}: image to scene;
 *       {@link dev.bakehouse.toy.world.Agreement}: scene (or caption) against analyzed image.</li>
 * </ul>
 * Pure Java2D; no tensors.
 */
package dev.bakehouse.toy.world;
