package dev.tally.testing;

import dev.tally.store.clickhouse.ClickHouseConfig;
import dev.tally.store.clickhouse.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' two-shard ClickHouse cluster ({@link LocalCluster}, cluster {@code tally}): started
 * once per test JVM and stopped when it exits; each user of the cluster gets a database of its own
 * ({@link #newDatabase()}), so test classes never see each other's rows.
 *
 * <p>Needs the {@code clickhouse-server} binary; without it the tests fail, they are never skipped.
 */
public final class ClickHouseCluster {
    public static final String CLUSTER = LocalCluster.CLUSTER;
    private static final int SHARDS = 2;
    private static ClickHouseCluster shared;

    private final LocalCluster cluster;
    private final AtomicInteger databases = new AtomicInteger();

    private ClickHouseCluster(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** The cluster of this JVM, started on first use. */
    public static synchronized ClickHouseCluster shared() {
        if (shared == null) {
            if (!LocalCluster.installed()) {
                throw new IllegalStateException("ClickHouse is not installed: the ClickHouse store tests need"
                        + " clickhouse-server (apt-get install -y clickhouse-server); they fail rather than skip");
            }
            try {
                shared = new ClickHouseCluster(LocalCluster.start(Files.createTempDirectory("tally-clickhouse"), SHARDS));
            } catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
            LocalCluster started = shared.cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(started::closeAsTheJvmExits, "clickhouse-cluster-stop"));
        }
        return shared;
    }

    /** A configuration for a database nobody else uses, over both shards. */
    public ClickHouseConfig newDatabase() {
        return new ClickHouseConfig(cluster.endpoints(), "tally_test_" + ProcessHandle.current().pid() + "_"
                + databases.incrementAndGet(), CLUSTER, false);
    }

    public List<URI> endpoints() {
        return cluster.endpoints();
    }

    /** The endpoints as {@code --clickhouse-url} takes them. */
    public String url() {
        return cluster.url();
    }
}
