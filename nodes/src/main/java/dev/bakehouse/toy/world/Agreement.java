package dev.bakehouse.toy.world;

import java.util.ArrayList;
import java.util.List;

/**
 * How far an analyzed image agrees with the scene it should show (usually the scene of the
 * prompt's caption). Expected objects are paired with analyzed ones, best match first (kiki,
 * colour and shape weigh more than size and position); analyzed objects left over are
 * {@link #unexpected}.
 */
public record Agreement(boolean background, List<ObjectMatch> objects, int unexpected) {
    /** One expected object and the analyzed object paired with it (null when none was left). */
    public record ObjectMatch(SceneObject expected, SceneObject found) {
        public boolean isFound() {
            return found != null;
        }

        public boolean color() {
            return found != null && found.color() == expected.color();
        }

        public boolean shape() {
            return found != null && found.shape() == expected.shape();
        }

        public boolean size() {
            return found != null && found.size() == expected.size();
        }

        public boolean position() {
            return found != null && found.position() == expected.position();
        }

        public boolean kiki() {
            return found != null && found.kiki() == expected.kiki();
        }

        int score() {
            return (kiki() ? 8 : 0) + (color() ? 4 : 0) + (shape() ? 4 : 0) + (position() ? 2 : 0) + (size() ? 1 : 0);
        }
    }

    public Agreement {
        objects = List.copyOf(objects);
    }

    public static Agreement of(Scene expected, Scene actual) {
        List<SceneObject> left = new ArrayList<>(actual.objects());
        List<ObjectMatch> matches = new ArrayList<>();
        for (SceneObject want : expected.objects()) {
            ObjectMatch best = new ObjectMatch(want, null);
            for (SceneObject got : left) {
                ObjectMatch m = new ObjectMatch(want, got);
                if (best.found() == null || m.score() > best.score()) {
                    best = m;
                }
            }
            left.remove(best.found());
            matches.add(best);
        }
        return new Agreement(expected.background() == actual.background(), matches, left.size());
    }

    /**
     * The image shows what the caption asks for: the background, and every object with its
     * colour, shape and kiki-ness (the targets of the quality tests). Size, position and extra
     * objects do not count here; see {@link #agreesWithLayout}.
     */
    public boolean agrees() {
        return background && objects.stream().allMatch(m -> m.color() && m.shape() && m.kiki());
    }

    /** {@link #agrees} and every object also at its size and grid cell, with nothing extra. */
    public boolean agreesWithLayout() {
        return agrees() && unexpected == 0 && objects.stream().allMatch(m -> m.size() && m.position());
    }
}
