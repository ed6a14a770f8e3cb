package dev.tally.store.duckdb;

import dev.tally.store.MetadataStore;
import dev.tally.store.MetadataStoreContract;

/** The metadata contract on an in-memory DuckDB database. */
class DuckDbMetadataStoreTest extends MetadataStoreContract {
    private DuckDbDatabase database;

    @Override
    protected MetadataStore newStore() {
        database = DuckDbDatabase.inMemory();
        return new DuckDbMetadataStore(database);
    }

    @Override
    protected AutoCloseable resources() {
        return database;
    }

    @Override
    protected boolean sharedByInstances() {
        return false;
    }
}
