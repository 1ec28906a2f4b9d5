package dev.bakehouse.lora.lbw;

import dev.bakehouse.lora.format.LbwBlock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Inspire pack's {@code %} block spec, e.g. {@code %default=0,base=1,out=1,in4-6=0.5,mid2=0}:
 * {@code default=} (every block, 1 when absent), {@code base=} (BASE, {@code default} when absent),
 * {@code in=}/{@code mid=}/{@code out=} (a whole group), {@code inN=} and {@code inN-M=} (the N-th
 * to M-th block, 1-based, among the blocks of that group the LoRA has — positions, not block
 * numbers, as in Inspire). It expands to an ordinary vector over the LoRA's slots. Unlike Inspire,
 * which skips items it cannot read, an unreadable item is an error.
 */
final class PercentSpec {
    private static final Pattern DEFAULT_OR_BASE = Pattern.compile("(default|base)=([0-9.]+)");
    private static final Pattern RANGE = Pattern.compile("(in|out|mid)([0-9]+)-([0-9]+)=([0-9.]+)");
    private static final Pattern ONE = Pattern.compile("(in|out|mid)([0-9]+)=([0-9.]+)");
    private static final Pattern GROUP = Pattern.compile("(in|out|mid)=([0-9.]+)");

    private PercentSpec() {}

    /** The vector text (BASE first, then one entry per slot) for {@code spec} over the LoRA's slots. */
    static String expand(String spec, Collection<InspireBlockVector.Slot> slots) {
        String[] items = spec.substring(1).split(",");
        String defaultValue = "1.0";
        String base = null;
        for (String raw : items) {
            Matcher m = DEFAULT_OR_BASE.matcher(raw.strip());
            if (m.matches()) {
                if (m.group(1).equals("base")) {
                    base = m.group(2);
                } else {
                    defaultValue = m.group(2);
                }
            }
        }
        List<String> in = new ArrayList<>();
        List<String> mid = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (InspireBlockVector.Slot s : slots) {
            (s.block().isInput() ? in : s.block() == LbwBlock.M00 ? mid : out).add(defaultValue);
        }
        for (String raw : items) {
            String item = raw.strip();
            Matcher range = RANGE.matcher(item);
            Matcher one = ONE.matcher(item);
            Matcher group = GROUP.matcher(item);
            if (range.matches()) {
                List<String> g = pick(range.group(1), in, mid, out);
                for (int x = Integer.parseInt(range.group(2)) - 1; x < Integer.parseInt(range.group(3)); x++) {
                    if (x >= 0 && x < g.size()) {
                        g.set(x, range.group(4));
                    }
                }
            } else if (one.matches()) {
                List<String> g = pick(one.group(1), in, mid, out);
                int x = Integer.parseInt(one.group(2)) - 1;
                if (x >= 0 && x < g.size()) {
                    g.set(x, one.group(3));
                }
            } else if (group.matches()) {
                List<String> g = pick(group.group(1), in, mid, out);
                g.replaceAll(v -> group.group(2));
            } else if (!item.isEmpty() && !DEFAULT_OR_BASE.matcher(item).matches()) {
                throw new IllegalArgumentException("block_vector '" + spec + "': item '" + item + "' is not one of "
                        + "default=v, base=v, in=v, inN=v, inN-M=v (in, mid or out; v a non-negative number)");
            }
        }
        List<String> all = new ArrayList<>();
        all.add(base != null ? base : defaultValue);
        all.addAll(in);
        all.addAll(mid);
        all.addAll(out);
        return String.join(",", all);
    }

    private static List<String> pick(String group, List<String> in, List<String> mid, List<String> out) {
        return switch (group) {
            case "in" -> in;
            case "mid" -> mid;
            default -> out;
        };
    }
}
