package dev.tally.server;

import java.nio.file.Path;

/**
 * How a Tally server runs. Every value has a default that works on a laptop; flags and environment
 * variables ({@code TALLY_PORT}, {@code TALLY_DATA_DIR}, {@code TALLY_ADMIN_TOKEN}, …) override them.
 *
 * @param adminToken {@code null} means: use the token saved in the data directory, creating it once
 * @param dataDirectory {@code null} means an in-memory store (tests only)
 */
public record ServerConfig(String host, int port, Path dataDirectory, String adminToken, long maxBodyBytes) {
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

    /** An in-memory server on a free loopback port, for tests. */
    public static ServerConfig forTests(String adminToken) {
        return new ServerConfig("127.0.0.1", 0, null, adminToken, DEFAULT_MAX_BODY_BYTES);
    }

    public ServerConfig withDataDirectory(Path directory) {
        return new ServerConfig(host, port, directory, adminToken, maxBodyBytes);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(host, port, dataDirectory, adminToken, bytes);
    }
}
