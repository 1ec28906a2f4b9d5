package dev.bakehouse.node.gachamax;

import dev.bakehouse.model.sampling.SamplerName;
import dev.bakehouse.model.sampling.SigmaScheduler;
import java.util.List;
import java.util.Map;

/**
 * One round's settings as the GachamaxRound node's widgets give them.
 *
 * @param prompts        candidate prompts, used in turn; empty = the captions of the round's dataset
 * @param probePrompts   prompts of the probe grid and the over-fit score; empty = the first candidate prompt
 * @param trigger        the concept's trigger word: probe prompts holding it test the concept, the others prompt following
 * @param picks          how many candidates the automatic picker keeps
 * @param training       TrainLoRA widget values that the round sets (epochs, rank, rate, batch, kohya_args)
 * @param styleFromRound first round whose candidates are drawn on the style model (when one is connected)
 */
record RoundSettings(String loop, Picker picker, boolean toyScorer, int candidates, int picks, List<String> prompts,
                     List<String> probePrompts, String trigger, String negative, double cfg, int steps,
                     SamplerName sampler, SigmaScheduler scheduler, long seed, Map<String, Object> training,
                     int styleFromRound) {
    RoundSettings {
        LoopRecord.checkName(loop);
        prompts = List.copyOf(prompts);
        probePrompts = List.copyOf(probePrompts);
        training = Map.copyOf(training);
        if (picker == Picker.AUTO && !toyScorer) {
            throw new IllegalArgumentException("GachamaxRound: the auto picker needs a scorer; set scorer to "
                    + "'toy-world analyzer' or picker to 'manual'");
        }
        if (picker == Picker.AUTO && picks > candidates) {
            throw new IllegalArgumentException("GachamaxRound: picks (" + picks + ") must not exceed candidates ("
                    + candidates + ")");
        }
    }

    /** Non-blank lines of a multiline widget, stripped. */
    static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Whether a prompt names the trigger as one of its comma-separated tags. */
    boolean hasTrigger(String prompt) {
        return !trigger.isBlank() && List.of(prompt.split(",")).stream().anyMatch(t -> t.strip().equals(trigger.strip()));
    }
}
