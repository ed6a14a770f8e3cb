package dev.tally.store.clickhouse;

import dev.tally.store.MetadataStore;
import dev.tally.store.MetadataStoreContract;
import dev.tally.testing.ClickHouseCluster;

/** The metadata contract on a fresh database of the two-shard ClickHouse cluster. */
class ClickHouseMetadataStoreTest extends MetadataStoreContract {
    private ClickHouseStore opened;

    @Override
    protected MetadataStore newStore() {
        opened = ClickHouseStore.open(ClickHouseCluster.shared().newDatabase());
        return opened.metadata();
    }

    @Override
    protected AutoCloseable resources() {
        return opened.events();
    }

    @Override
    protected boolean sharedByInstances() {
        return true;
    }
}
