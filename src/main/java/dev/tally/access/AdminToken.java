package dev.tally.access;

import dev.tally.auth.KeySecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The operator's admin token when none is configured: made once, kept in the data directory, so a
 * fresh install is secure by default and the token survives restarts.
 */
public final class AdminToken {
    static final String FILE = "admin-token";

    private AdminToken() {
    }

    public static String resolve(String configured, Path dataDirectory) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (dataDirectory == null) {
            return KeySecrets.newSecret().replace(KeySecrets.SECRET_PREFIX, "adm_");
        }
        Path file = dataDirectory.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(dataDirectory);
            String token = KeySecrets.newSecret().replace(KeySecrets.SECRET_PREFIX, "adm_");
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on file systems without POSIX permissions
            }
            return token;
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot keep the admin token in " + file, failure);
        }
    }
}
