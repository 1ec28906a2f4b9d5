/**
 * How well a model draws the toy world: captions rendered by the model and read back by the
 * {@link dev.bakehouse.toy.world.SceneAnalyzer}, counted per fact (background, colour, shape, kiki).
 * The numbers behind the toy model's quality tests, {@code bakehouse score-toy} and the GACHAMAX
 * loop's automatic picker.
 */
package dev.bakehouse.toy.quality;
