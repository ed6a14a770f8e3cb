package dev.tally.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.auth.Principal;
import dev.tally.ingest.IngestResult;
import dev.tally.ingest.IngestService;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Sends demo events through the ingest service in NDJSON batches, exactly as a platform would post
 * them: same parser, same pricing, same writer. A rejected demo event is a bug in the demo, so it
 * stops the load instead of leaving a silently thinner dataset.
 */
final class NdjsonBatches implements Consumer<ObjectNode> {
    private static final String NDJSON = "application/x-ndjson";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final IngestService ingest;
    private final Principal principal;
    private final int batchSize;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
    private int pending;
    private long accepted;
    private long duplicates;

    NdjsonBatches(IngestService ingest, Principal principal, int batchSize) {
        this.ingest = ingest;
        this.principal = principal;
        this.batchSize = batchSize;
    }

    @Override
    public void accept(ObjectNode event) {
        try {
            body.writeBytes(MAPPER.writeValueAsBytes(event));
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
        body.write('\n');
        if (++pending == batchSize) {
            flush();
        }
    }

    void flush() {
        if (pending == 0) {
            return;
        }
        IngestResult result = ingest.ingest(principal, body.toByteArray(), NDJSON);
        if (result.rejected() > 0) {
            IngestResult.Item first = result.results().stream()
                    .filter(item -> "rejected".equals(item.status())).findFirst().orElseThrow();
            throw new IllegalStateException("demo event " + first.id() + " was rejected: " + first.field() + " "
                    + first.reason());
        }
        accepted += result.accepted();
        duplicates += result.duplicates();
        body.reset();
        pending = 0;
    }

    long accepted() {
        return accepted;
    }

    long duplicates() {
        return duplicates;
    }
}
