package dev.bakehouse.server.store;

/** A persistence failure; names the database and the operation. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
