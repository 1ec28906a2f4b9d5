package dev.bakehouse.node.gachamax;

import java.util.Objects;

/**
 * One generated candidate of a round.
 *
 * @param id      store-wide id (what the pick route takes); 0 before the store assigns it
 * @param index   position in the round, from 0
 * @param prompt  the prompt it was generated from (its caption when picked, unless edited)
 * @param seed    the sampling seed
 * @param file    the PNG, relative to the output folder ({@code gachamax/loop/r1/c00.png})
 * @param sha256  hash of the PNG file
 * @param score   the automatic scorer's score, or null without one
 * @param picked  whether it joined the next dataset version
 * @param caption the caption it joins with (the prompt, or the edited text); null while not picked
 */
public record CandidateRecord(long id, String loop, int round, int index, String prompt, long seed, String file,
                              String sha256, Double score, boolean picked, String caption) {
    public CandidateRecord {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
    }

    public CandidateRecord withId(long newId) {
        return new CandidateRecord(newId, loop, round, index, prompt, seed, file, sha256, score, picked, caption);
    }

    public CandidateRecord picked(String pickedCaption) {
        return new CandidateRecord(id, loop, round, index, prompt, seed, file, sha256, score, true,
                pickedCaption == null ? prompt : pickedCaption);
    }
}
