package dev.bakehouse.server.files;

/** A file request refused with an HTTP status (spec §3.8/§3.9); the reason is for the log. */
public final class FileRefusal extends Exception {
    private final int status;

    public FileRefusal(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
