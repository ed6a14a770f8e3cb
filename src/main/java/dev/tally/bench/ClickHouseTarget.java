package dev.tally.bench;

import dev.tally.store.clickhouse.ClickHouseConfig;
import dev.tally.store.clickhouse.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The ClickHouse cluster a benchmark runs against: by default its own two-shard cluster of local
 * {@code clickhouse-server} processes under the work directory, killed when the run ends, also when
 * it fails or is interrupted; or an existing cluster given by its endpoints, left running.
 */
final class ClickHouseTarget implements AutoCloseable {
    static final int SHARDS = 2;

    private final LocalCluster ownCluster;
    private final List<URI> endpoints;
    private final String cluster;
    private final Thread stopOnExit;

    private ClickHouseTarget(LocalCluster ownCluster, List<URI> endpoints, String cluster) {
        this.ownCluster = ownCluster;
        this.endpoints = endpoints;
        this.cluster = cluster;
        // Ctrl-C or SIGTERM during a long run must not leave servers behind
        this.stopOnExit = ownCluster == null ? null : new Thread(ownCluster::close, "bench-clickhouse-stop");
        if (stopOnExit != null) {
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        }
    }

    /**
     * @param url comma-separated endpoints of an existing cluster, or null to start one
     * @param cluster its {@code remote_servers} name (ignored for the own cluster, which is {@code tally})
     */
    static ClickHouseTarget open(String url, String cluster, Path directory) throws IOException {
        if (url != null && !url.isBlank()) {
            return new ClickHouseTarget(null, ClickHouseConfig.parseEndpoints(url), cluster);
        }
        LocalCluster started = LocalCluster.start(directory, SHARDS);
        return new ClickHouseTarget(started, started.endpoints(), LocalCluster.CLUSTER);
    }

    List<URI> endpoints() {
        return endpoints;
    }

    String url() {
        return String.join(",", endpoints.stream().map(URI::toString).toList());
    }

    String cluster() {
        return cluster;
    }

    boolean own() {
        return ownCluster != null;
    }

    /** The servers' process ids when the bench started them; nothing for an existing cluster. */
    List<Long> pids() {
        return ownCluster == null ? List.of() : ownCluster.pids();
    }

    @Override
    public void close() {
        if (ownCluster == null) {
            return;
        }
        ownCluster.close();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // already shutting down: the hook runs and finds nothing left to stop
        }
    }
}
