package dev.tally.lifecycle.erasure;

import dev.tally.http.ApiError;
import dev.tally.ingest.ErasedSubjects;
import dev.tally.store.BatchWriter;
import dev.tally.store.ErasedSubject;
import dev.tally.store.EventStore;
import dev.tally.store.MetadataStore;
import dev.tally.store.SubjectErasure;
import dev.tally.tenant.Erasure;
import dev.tally.tenant.ErasureState;
import dev.tally.tenant.ErasureSubject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erasure of a data subject, as a job: the store's rewrite runs on the writer's thread, so no
 * batch is half written meanwhile and every batch after it meets the erased subject in
 * {@link ErasedSubjects}; then live state. Jobs run one at a time, in the order asked.
 */
public final class ErasureService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ErasureService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventStore store;
    private final MetadataStore metadata;
    private final BatchWriter writer;
    private final ErasedSubjects erased;
    private final LiveErasure live;
    private final LongSupplier clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "tally-erasures");
        thread.setDaemon(true);
        return thread;
    });

    public ErasureService(EventStore store, MetadataStore metadata, BatchWriter writer, ErasedSubjects erased,
                          LiveErasure live, LongSupplier clock) {
        this.store = store;
        this.metadata = metadata;
        this.writer = writer;
        this.erased = erased;
        this.live = live;
        this.clock = clock;
    }

    /**
     * Learns the subjects erased before this start, and settles the jobs a stop interrupted. Their
     * identifier is not kept anywhere (that is the point), so they cannot be resumed: the audit
     * says so, and whether the store's part was done.
     */
    public void start() {
        List<ErasedSubject> subjects = store.erasedSubjects();
        for (ErasedSubject subject : subjects) {
            erased.add(subject.tenantId(), metadata.pseudonymKey(subject.tenantId()), subject.subject(),
                    subject.pseudonym());
        }
        Set<String> erasedPseudonyms = subjects.stream().map(subject -> subject.tenantId() + "\n" + subject.pseudonym())
                .collect(Collectors.toSet());
        for (Erasure job : metadata.erasures(null)) {
            if (job.state() == ErasureState.RUNNING) {
                boolean storeDone = erasedPseudonyms.contains(job.tenantId() + "\n" + job.pseudonym());
                metadata.putErasure(job.failed(clock.getAsLong(), storeDone
                        ? "interrupted by a stop after the store was erased, before live state was: submit it again to finish"
                        : "interrupted by a stop before the subject was recorded as erased: " + notDone()
                                + "; submit it again"));
            }
        }
    }

    public boolean available() {
        return store.erases();
    }

    /** Starts an erasure and returns its job, running. */
    public Erasure request(String tenantId, ErasureSubject subject, String identifier, String reference) {
        if (!store.erases()) {
            throw ApiError.conflict("store", "erasure of a data subject is not available on the " + store.name()
                    + " store yet; it is on the embedded DuckDB store");
        }
        if (ErasedSubjects.isPseudonym(identifier)) {
            throw ApiError.badRequest(subject.wireName(), "is a pseudonym already: this subject is erased");
        }
        if (subject == ErasureSubject.CALL_ID && live.holdsCall(tenantId, identifier)) {
            throw ApiError.conflict("call_id", "the call is in progress; erase it once it has ended");
        }
        String key = metadata.pseudonymKey(tenantId);
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Erasure job = new Erasure("era_" + HexFormat.of().formatHex(random), tenantId, subject,
                ErasedSubjects.pseudonym(key, subject, identifier), "admin", reference, clock.getAsLong(),
                ErasureState.RUNNING, null, Map.of(), null);
        metadata.putErasure(job);
        runner.execute(() -> run(job, identifier, key));
        return job;
    }

    public java.util.Optional<Erasure> find(String id) {
        return metadata.erasure(id);
    }

    public List<Erasure> list(String tenantId) {
        return metadata.erasures(tenantId);
    }

    private void run(Erasure job, String identifier, String key) {
        Map<String, Long> rows = new TreeMap<>();
        boolean storeDone = false;
        try {
            rows.putAll(writer.exclusive(() -> {
                Map<String, Long> rewritten = store.erase(new SubjectErasure(job.id(), job.tenantId(), job.subject(),
                        identifier, job.pseudonym()));
                erased.add(job.tenantId(), key, job.subject(), job.pseudonym());
                return rewritten;
            }));
            storeDone = true;
            long budgets = eraseFromBudgets(job, identifier);
            if (budgets > 0) {
                rows.put("budgets", budgets);
            }
            long liveCalls = live.erase(job.tenantId(), job.subject(), identifier, job.pseudonym());
            if (liveCalls > 0) {
                rows.put("live_state", liveCalls);
            }
            metadata.putErasure(job.done(clock.getAsLong(), rows));
        } catch (RuntimeException failure) {
            // statements bind the identifier as a parameter, so a failure's message does not quote it
            String reason = (storeDone ? "the store was erased (" + rows + "), live state was not: "
                    : notDone() + ": ") + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                    + "; submit it again";
            LOG.warn("erasure {} failed: {}", job.id(), reason);
            metadata.putErasure(job.failed(clock.getAsLong(), reason));
        }
    }

    /** A budget that counts one member's usage goes on counting it under the pseudonym. */
    private long eraseFromBudgets(Erasure job, String identifier) {
        if (job.subject() != ErasureSubject.MEMBER_ID) {
            return 0;
        }
        long changed = 0;
        for (dev.tally.tenant.Budget budget : metadata.budgets(job.tenantId())) {
            dev.tally.tenant.BudgetScope scope = budget.scope();
            if (identifier.equals(scope.memberId())) {
                metadata.putBudget(new dev.tally.tenant.Budget(budget.id(), budget.tenantId(), budget.name(),
                        new dev.tally.tenant.BudgetScope(scope.agentId(), job.pseudonym(), scope.attributes()),
                        budget.measure(), budget.period(), budget.timezone(), budget.limit(), budget.thresholds(),
                        budget.action(), budget.createdMs(), budget.updatedMs()));
                changed++;
            }
        }
        return changed;
    }

    /** What a store's rewrite left when it did not finish: nothing, or (a store without one transaction for it) a part. */
    private String notDone() {
        return store.erasesAtomically() ? "nothing was erased" : "the store's rows may be rewritten in part, totals unchanged";
    }

    @Override
    public void close() {
        runner.shutdown();
        try {
            runner.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
