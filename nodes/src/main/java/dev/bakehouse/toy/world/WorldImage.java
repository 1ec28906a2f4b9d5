package dev.bakehouse.toy.world;

import java.awt.image.BufferedImage;

/** One generated image, the scene it shows and its caption. */
public record WorldImage(BufferedImage image, Scene scene, String caption) {}
