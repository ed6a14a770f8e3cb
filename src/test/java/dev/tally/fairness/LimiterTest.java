package dev.tally.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.tenant.TenantLimits;
import org.junit.jupiter.api.Test;

/** The count of requests in flight: a place is taken until released, per tenant and kind. */
class LimiterTest {
    private final Limiter limiter = new Limiter();
    private final TenantLimits limits = new TenantLimits(0, 0, 1, 2, 0);

    @Test
    void aPlaceInFlightIsHeldUntilReleased() {
        Limiter.Decision first = limiter.acquire("acme", "k1", RequestClass.INGEST, limits);
        assertThat(first.allowed()).isTrue();
        Limiter.Decision second = limiter.acquire("acme", "k2", RequestClass.INGEST, limits);
        assertThat(second.allowed()).isFalse();
        assertThat(second.limit()).isEqualTo("ingest-in-flight");
        assertThat(limiter.acquire("globex", "k3", RequestClass.INGEST, limits).allowed()).as("another tenant").isTrue();
        assertThat(limiter.acquire("acme", "k1", RequestClass.REPORTS, limits).allowed()).as("the other kind").isTrue();
        first.release().run();
        assertThat(limiter.acquire("acme", "k2", RequestClass.INGEST, limits).allowed()).isTrue();
    }

    @Test
    void theRequestClassesAreTheRoutesOfIngestAndReports() {
        assertThat(RequestClass.of("POST", "/v1/events")).contains(RequestClass.INGEST);
        assertThat(RequestClass.of("POST", "/v1/integrations/twilio/acme/sms")).contains(RequestClass.INGEST);
        assertThat(RequestClass.of("GET", "/api/v2/w/acme/reports/ai-usage")).contains(RequestClass.REPORTS);
        assertThat(RequestClass.of("POST", "/calls/stats")).contains(RequestClass.REPORTS);
        assertThat(RequestClass.of("POST", "/v1/calls/admit")).isEmpty();
        assertThat(RequestClass.of("GET", "/metrics")).isEmpty();
    }
}
