package dev.bakehouse.train.schedule;

/**
 * A LambdaLR multiplier: the lr of every param group during optimizer update {@code u}
 * (0-based) is {@code baseLr * factor(u)}. Pure doubles, so a resumed run recomputes it exactly.
 */
@FunctionalInterface
public interface LrSchedule {
    double factor(long step);
}
