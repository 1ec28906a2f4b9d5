package dev.bakehouse.model.tokenizer;

/** No place searched by {@link TokenizerLocator} holds the tokenizer files; the message lists them. */
public final class TokenizerNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TokenizerNotFoundException(String message) {
        super(message);
    }
}
