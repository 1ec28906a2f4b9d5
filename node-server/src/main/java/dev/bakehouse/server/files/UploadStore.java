package dev.bakehouse.server.files;

import dev.bakehouse.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Stores uploads (spec §3.9): into input (default), temp or output, optionally below a subfolder
 * that must stay inside the area. Without overwrite an existing name is kept when its content is
 * identical (SHA-256) and otherwise the upload becomes {@code name (1).ext}, {@code name (2).ext},
 * …. The bytes go to a temporary file in the target directory first and are moved into place,
 * so a reader never sees half a file.
 */
public final class UploadStore {

    /** The response body of a successful upload. */
    public record Stored(String name, String subfolder, String type) {}

    private final FileAreas areas;

    public UploadStore(FileAreas areas) {
        this.areas = areas;
    }

    public Stored store(InputStream content, String filename, String type, String subfolder, boolean overwrite)
            throws FileRefusal, IOException {
        String areaName = type == null || type.isEmpty() ? "input" : type;
        Path area = areas.byType(areaName).orElseThrow(() -> new FileRefusal(400, "unknown type " + areaName));
        if (filename == null || filename.isEmpty()) {
            throw new FileRefusal(400, "image part has no filename");
        }
        String folder = subfolder == null ? "" : subfolder;
        if (SafePaths.hasForbiddenCharacter(filename) || SafePaths.hasForbiddenCharacter(folder)) {
            throw new FileRefusal(400, "filename or subfolder has a forbidden character");
        }
        Path directory = SafePaths.lexicallyInside(area, folder);
        Path target = directory == null ? null : SafePaths.lexicallyInside(directory, filename);
        if (target == null || !target.getParent().equals(directory)) {
            throw new FileRefusal(400, "upload target leaves the " + areaName + " area: " + folder + "/" + filename);
        }
        Files.createDirectories(area);
        Files.createDirectories(directory);
        if (!SafePaths.reallyInside(area, directory)) {
            throw new FileRefusal(400, "subfolder resolves outside the " + areaName + " area: " + folder);
        }
        Path temporary = Files.createTempFile(directory, ".upload-", ".part");
        try {
            byte[] hash = copyHashing(content, temporary);
            Path destination = overwrite ? target : chooseName(target, hash);
            boolean alreadyThere = !overwrite && Files.exists(destination, LinkOption.NOFOLLOW_LINKS);
            if (!alreadyThere) {
                AtomicFiles.moveReplacing(temporary, destination);
            }
            return new Stored(destination.getFileName().toString(), folder, areaName);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The first name, starting with the requested one, that is free or holds identical content. */
    private static Path chooseName(Path target, byte[] hash) throws IOException {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Path candidate = target;
        for (int i = 1; ; i++) {
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
            if (SafePaths.isRegularFileNoFollow(candidate) && Arrays.equals(hashOf(candidate), hash)) {
                return candidate;
            }
            candidate = target.resolveSibling(stem + " (" + i + ")" + extension);
        }
    }

    private static byte[] copyHashing(InputStream content, Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(content, digest);
                OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        return digest.digest();
    }

    private static byte[] hashOf(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
