package dev.bakehouse.node.gachamax;

/**
 * A round's probe scores (see {@link OverfitScore} for the formula).
 *
 * @param closeness        how close the probe images are to the nearest training image, 0..1
 * @param promptFollowing  the scorer's agreement with the probe prompts, 0..1; null without a scorer
 * @param triggerAgreement agreement on the probe prompts with the trigger, 0..1; null without a scorer
 * @param overfit          closeness minus prompt following, -1..1; null without a scorer
 */
public record RoundScores(double closeness, Double promptFollowing, Double triggerAgreement, Double overfit) {}
