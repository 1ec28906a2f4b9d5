package dev.bakehouse.server.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSafetyTest {
    @TempDir
    Path root;

    private FileAreas areas;
    private Path outside;

    @BeforeEach
    void layout() throws Exception {
        areas = new FileAreas(
                Files.createDirectories(root.resolve("data/input")),
                Files.createDirectories(root.resolve("data/output")),
                Files.createDirectories(root.resolve("data/temp")));
        outside = Files.writeString(root.resolve("secret.txt"), "secret");
        Files.writeString(areas.output().resolve("ok.png"), "png");
        Files.createDirectories(areas.output().resolve("sub"));
        Files.writeString(areas.output().resolve("sub/deep.png"), "deep");
    }

    private int viewStatus(String filename, String type, String subfolder) {
        FileRefusal refusal = assertThrows(FileRefusal.class,
                () -> new ViewResolver(areas).resolve(filename, type, subfolder));
        return refusal.status();
    }

    @Test
    void view_resolvesPlainAnnotatedAndSubfolderNames() throws Exception {
        ViewResolver views = new ViewResolver(areas);
        assertEquals(areas.output().resolve("ok.png"), views.resolve("ok.png", null, ""));
        assertEquals(areas.output().resolve("ok.png"), views.resolve("ok.png [output]", "input", null));
        assertEquals(areas.output().resolve("sub/deep.png"), views.resolve("deep.png", "output", "sub"));
        assertEquals(areas.output().resolve("sub/deep.png"), views.resolve("other/deep.png", "output", "sub"),
                "only the base name of filename counts");
    }

    @Test
    void view_refusalsFollowSpec38Order() {
        assertEquals(404, viewStatus(null, "output", null));
        assertEquals(400, viewStatus(" [output]", null, null));
        assertEquals(400, viewStatus("/etc/passwd", null, null));
        assertEquals(400, viewStatus("../secret.txt", null, null));
        assertEquals(400, viewStatus("ok.png", "models", null));
        assertEquals(403, viewStatus("secret.txt", "output", "../.."));
        assertEquals(403, viewStatus("secret.txt", "output", "/"));
        assertEquals(400, viewStatus("ok.png", "output", "..\\.."));
        assertEquals(400, viewStatus("ok\0.png", "output", null));
        assertEquals(404, viewStatus("missing.png", "output", null));
        assertEquals(404, viewStatus("sub", "output", null), "directories are not files");
    }

    @Test
    void view_symlinkLeavingTheArea_is403() throws Exception {
        Files.createSymbolicLink(areas.output().resolve("link.txt"), outside);
        Files.createSymbolicLink(areas.output().resolve("linkdir"), root);
        assertEquals(403, viewStatus("link.txt", "output", null));
        assertEquals(403, viewStatus("secret.txt", "output", "linkdir"));
    }

    @Test
    void upload_identicalContentKeepsName_differentContentGetsNumberedName() throws Exception {
        UploadStore uploads = new UploadStore(areas);
        byte[] a = "aaa".getBytes(StandardCharsets.UTF_8);
        byte[] b = "bbb".getBytes(StandardCharsets.UTF_8);
        assertEquals("photo.png", uploads.store(new ByteArrayInputStream(a), "photo.png", null, "", false).name());
        assertEquals("photo.png", uploads.store(new ByteArrayInputStream(a), "photo.png", null, "", false).name());
        assertEquals("photo (1).png", uploads.store(new ByteArrayInputStream(b), "photo.png", null, "", false).name());
        assertEquals("photo (1).png", uploads.store(new ByteArrayInputStream(b), "photo.png", null, "", false).name());
        byte[] c = "ccc".getBytes(StandardCharsets.UTF_8);
        assertEquals("photo (2).png", uploads.store(new ByteArrayInputStream(c), "photo.png", null, "", false).name());
        assertEquals("photo.png", uploads.store(new ByteArrayInputStream(c), "photo.png", "input", "", true).name());
        assertArrayEquals(c, Files.readAllBytes(areas.input().resolve("photo.png")));
        try (var files = Files.list(areas.input())) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".part")), "no temp files left");
        }
    }

    @Test
    void upload_subfolderIsCreatedAndEchoed() throws Exception {
        UploadStore.Stored stored = new UploadStore(areas)
                .store(new ByteArrayInputStream(new byte[] {1}), "x.png", "temp", "a/b", false);
        assertEquals(new UploadStore.Stored("x.png", "a/b", "temp"), stored);
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(areas.temp().resolve("a/b/x.png")));
    }

    @Test
    void upload_pathsLeavingTheArea_are400() throws Exception {
        Files.createSymbolicLink(areas.input().resolve("escape"), root);
        UploadStore uploads = new UploadStore(areas);
        String[][] attempts = {
            {"../evil.png", ""}, {"evil.png", "../"}, {"evil.png", "/tmp"}, {"a/../../evil.png", ""},
            {"evil.png", "escape"}, {"..\\evil.png", ""}, {"evil\0.png", ""}, {"", ""}, {"evil.png", "x/../../.."},
            {"sub/evil.png", ""},
        };
        for (String[] attempt : attempts) {
            FileRefusal refusal = assertThrows(FileRefusal.class,
                    () -> uploads.store(new ByteArrayInputStream(new byte[] {1}), attempt[0], "input", attempt[1], true),
                    () -> "accepted " + String.join(" | ", attempt));
            assertEquals(400, refusal.status());
        }
        assertFalse(Files.exists(root.resolve("evil.png")));
        assertEquals(400, assertThrows(FileRefusal.class,
                () -> uploads.store(new ByteArrayInputStream(new byte[] {1}), "a.png", "models", "", true)).status());
    }
}
