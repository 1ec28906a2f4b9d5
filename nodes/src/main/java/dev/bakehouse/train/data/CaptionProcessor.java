package dev.bakehouse.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kohya's {@code BaseDataset.process_caption}: prefix/suffix, caption dropout, wildcards, the
 * token path (keep_tokens / keep_tokens_separator, warm-up, shuffle, tag dropout) and the
 * secondary separator, in kohya's order. The token path runs only when shuffle, warm-up or tag
 * dropout is on; otherwise the caption is used verbatim and {@code keep_tokens} does nothing.
 */
public final class CaptionProcessor {
    private static final Pattern WILDCARD = Pattern.compile("\\{([^}]+)\\}");

    private CaptionProcessor() {}

    /**
     * When the caption is processed: kohya's {@code current_epoch} (1-based; kohya's DataLoader sets
     * it after a sample is built, so the first samples it builds see 0), {@code current_step} and
     * {@code max_train_steps} (for a fractional {@code token_warmup_step}).
     */
    public record Context(int currentEpoch, int currentStep, int maxTrainSteps) {}

    /** The caption the text encoder sees. */
    public static String process(CaptionOptions o, String caption, Context ctx, CaptionRandom rnd) {
        if (o.captionPrefix() != null && !o.captionPrefix().isEmpty()) {
            caption = o.captionPrefix() + " " + caption;
        }
        if (o.captionSuffix() != null && !o.captionSuffix().isEmpty()) {
            caption = caption + " " + o.captionSuffix();
        }
        boolean drop = o.captionDropoutRate() > 0 && rnd.random() < o.captionDropoutRate();
        drop = drop || o.captionDropoutEveryNEpochs() > 0 && ctx.currentEpoch() % o.captionDropoutEveryNEpochs() == 0;
        if (drop) {
            return "";
        }
        caption = o.enableWildcard() ? wildcards(caption, rnd) : PythonText.split(caption, "\n").get(0);
        if (o.tokenPath()) {
            caption = tokens(o, caption, ctx, rnd);
        }
        if (o.secondarySeparator() != null && !o.secondarySeparator().isEmpty()) {
            caption = caption.replace(o.secondarySeparator(), o.captionSeparator());
        }
        return caption;
    }

    private static String wildcards(String caption, CaptionRandom rnd) {
        if (caption.contains("\n")) {
            List<String> lines = PythonText.split(caption, "\n");
            caption = lines.get(rnd.choice(lines.size()));
        }
        String open = "⦅";
        String close = "⦆";
        while (caption.contains(open) || caption.contains(close)) {
            open += "⦅";
            close += "⦆";
        }
        caption = caption.replace("{{", open).replace("}}", close);
        Matcher m = WILDCARD.matcher(caption);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> options = PythonText.split(m.group(1), "|");
            m.appendReplacement(out, Matcher.quoteReplacement(options.get(rnd.choice(options.size()))));
        }
        m.appendTail(out);
        return out.toString().replace(open, "{").replace(close, "}");
    }

    private static String tokens(CaptionOptions o, String caption, Context ctx, CaptionRandom rnd) {
        List<String> fixed = new ArrayList<>();
        List<String> flex;
        List<String> fixedSuffix = new ArrayList<>();
        String kts = o.keepTokensSeparator();
        if (kts != null && !kts.isEmpty() && caption.contains(kts)) {
            String[] parts = PythonText.splitOnce(caption, kts);
            String flexPart = parts[1];
            if (flexPart.contains(kts)) {
                String[] rest = PythonText.splitOnce(flexPart, kts);
                flexPart = rest[0];
                fixedSuffix = nonEmptyTokens(rest[1], o.captionSeparator());
            }
            fixed = nonEmptyTokens(parts[0], o.captionSeparator());
            flex = nonEmptyTokens(flexPart, o.captionSeparator());
        } else {
            List<String> all = new ArrayList<>();
            for (String t : PythonText.split(PythonText.strip(caption), o.captionSeparator())) {
                all.add(PythonText.strip(t));
            }
            int keep = Math.min(o.keepTokens(), all.size());
            fixed = new ArrayList<>(all.subList(0, keep));
            flex = new ArrayList<>(all.subList(keep, all.size()));
        }
        double warmupStep = o.tokenWarmupStep() < 1 ? Math.floor(o.tokenWarmupStep() * ctx.maxTrainSteps())
                : o.tokenWarmupStep();
        if (warmupStep != 0 && ctx.currentStep() < warmupStep) {
            int len = (int) Math.floor(ctx.currentStep() * ((flex.size() - o.tokenWarmupMin()) / warmupStep))
                    + o.tokenWarmupMin();
            flex = new ArrayList<>(flex.subList(0, pythonSliceEnd(len, flex.size())));
        }
        if (o.shuffleCaption()) {
            rnd.shuffle(flex);
        }
        if (o.captionTagDropoutRate() > 0) {
            List<String> kept = new ArrayList<>();
            for (String t : flex) {
                if (rnd.random() >= o.captionTagDropoutRate()) {
                    kept.add(t);
                }
            }
            flex = kept;
        }
        List<String> joined = new ArrayList<>(fixed);
        joined.addAll(flex);
        joined.addAll(fixedSuffix);
        return String.join(", ", joined);
    }

    /** Python's {@code list[:n]} end for any n (negative counts from the end). */
    private static int pythonSliceEnd(int n, int size) {
        return n < 0 ? Math.max(0, size + n) : Math.min(n, size);
    }

    private static List<String> nonEmptyTokens(String part, String separator) {
        List<String> out = new ArrayList<>();
        for (String t : PythonText.split(part, separator)) {
            String s = PythonText.strip(t);
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
