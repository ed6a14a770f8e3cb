package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.store.json.AttributesJson;
import dev.tally.store.sql.EventColumns;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;

/**
 * Appends one event as a row of {@link EventColumns#ALL}, column by column, typed.
 *
 * <p>The same columns in the same order as the generic {@link EventColumns} readers (a test holds
 * the two together), written out by hand because this is the writer thread's innermost loop: the
 * generic loop boxes every number and makes 48 megamorphic lambda calls a row, and the writer is
 * the one thread all ingest waits on. The fingerprint comes in already computed, since the store
 * needs it for deduplication anyway.
 */
final class EventRowAppender {

    private EventRowAppender() {
    }

    static void append(DuckDBAppender appender, Event event, long fingerprint) throws SQLException {
        appender.beginRow();
        appender.append(event.tenantId);
        appender.append(event.id);
        appender.append(fingerprint);
        appender.append(event.type.wireName());
        appender.append(event.timeMs);
        text(appender, event.agentId);
        text(appender, event.userEmail);
        text(appender, event.memberId);
        appender.append(AttributesJson.write(event.attributes));
        text(appender, event.status);
        text(appender, event.direction);
        text(appender, event.phoneNumber);
        number(appender, event.endedMs);
        number(appender, event.durationMs);
        text(appender, event.sentiment);
        text(appender, event.endReason);
        text(appender, event.provider);
        text(appender, event.model);
        text(appender, event.kind);
        text(appender, event.callId);
        text(appender, event.chatId);
        text(appender, event.exception);
        text(appender, event.opName);
        text(appender, event.traceId);
        text(appender, event.parentId);
        text(appender, event.threadId);
        text(appender, event.turnId);
        text(appender, event.runId);
        appender.append(event.inputTokens);
        appender.append(event.cachedInputTokens);
        appender.append(event.cacheCreationInputTokens);
        appender.append(event.outputTokens);
        appender.append(event.inputAudioTokens);
        appender.append(event.outputAudioTokens);
        number(appender, event.characters);
        number(appender, event.audioDurationMs);
        text(appender, event.encoding);
        if (event.segments == null) {
            appender.appendNull();
        } else {
            appender.append(event.segments.intValue());
        }
        text(appender, event.body);
        text(appender, event.role);
        text(appender, event.channel);
        appender.append(event.costNanos);
        appender.append(event.costSource.wireName());
        appender.append(event.inputCostNanos);
        appender.append(event.outputCostNanos);
        appender.append(event.creditsMicros);
        appender.append(event.receivedMs);
        appender.append(event.revision);
        number(appender, event.reportedTotalCostNanos);
        number(appender, event.carrierSegments);
        number(appender, event.quantityMicros);
        text(appender, event.unit);
        appender.endRow();
    }

    private static void text(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    private static void number(DuckDBAppender appender, Long value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value.longValue());
        }
    }
}
