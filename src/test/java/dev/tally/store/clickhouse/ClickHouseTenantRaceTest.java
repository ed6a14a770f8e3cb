package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.MetadataStore;
import dev.tally.tenant.Tenant;
import dev.tally.testing.ClickHouseCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two instances creating the same tenant at the same moment: one creates it, the other is told it exists. */
class ClickHouseTenantRaceTest {

    @Test
    void exactlyOneOfTwoSimultaneousCreationsSucceeds() throws Exception {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        List<ClickHouseStore> opened = List.of(ClickHouseStore.open(config), ClickHouseStore.open(config));
        List<MetadataStore> instances = opened.stream().map(ClickHouseStore::metadata).toList();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 12; round++) {
                String id = "tenant-" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int instance = 0; instance < 2; instance++) {
                    MetadataStore store = instances.get(instance);
                    Tenant tenant = Tenant.named(id, "created by " + instance, 1_000L + instance);
                    attempts.add(pool.submit(() -> {
                        start.await();
                        return store.createTenant(tenant);
                    }));
                }
                boolean first = attempts.get(0).get();
                boolean second = attempts.get(1).get();

                assertThat(first ^ second).as("round %d: %s and %s", round, first, second).isTrue();
                String winner = "created by " + (first ? 0 : 1);
                for (MetadataStore store : instances) {
                    assertThat(store.tenant(id).orElseThrow().name()).isEqualTo(winner);
                }
                assertThat(instances.get(0).tenants().stream().filter(tenant -> tenant.id().equals(id))).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
            opened.forEach(store -> store.events().close());
        }
    }

    @Test
    void aTenantThatExistsIsNotCreatedAgain() {
        ClickHouseStore opened = ClickHouseStore.open(ClickHouseCluster.shared().newDatabase());
        MetadataStore store = opened.metadata();
        try {
            assertThat(store.createTenant(Tenant.named("acme", "Acme", 1))).isTrue();
            assertThat(store.createTenant(Tenant.named("acme", "Other", 2))).isFalse();
            assertThat(store.tenant("acme").orElseThrow().name()).isEqualTo("Acme");
        } finally {
            opened.events().close();
        }
    }
}
