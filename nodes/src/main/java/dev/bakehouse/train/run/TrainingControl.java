package dev.bakehouse.train.run;

import java.util.EnumSet;
import java.util.Set;

/**
 * Requests made to a running training from outside it (the server's live controls), which the
 * trainer polls once after every optimizer update — between steps, where the weights are
 * consistent and a save or a state means the same as a scheduled one.
 */
@FunctionalInterface
public interface TrainingControl {

    /** What may be asked of a running training. */
    enum Request {
        /** Draw the {@code sample_prompts} now, named as kohya names a step sample. */
        SAMPLE,
        /** Save the LoRA now, named as kohya names a step save ({@code NAME-step00000012.safetensors}). */
        SAVE,
        /** Stop after this step keeping everything: a state folder and the LoRA so far, as an interrupt does. */
        STOP
    }

    /** The requests made since the last call, each once (a request made twice between steps counts once). */
    Set<Request> take();

    /** No outside requests (the CLI, tests). */
    TrainingControl NONE = () -> EnumSet.noneOf(Request.class);
}
