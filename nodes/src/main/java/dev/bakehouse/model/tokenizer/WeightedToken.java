package dev.bakehouse.model.tokenizer;

/** One content token id and the emphasis weight of the segment it came from. */
public record WeightedToken(int id, double weight) {}
