package dev.tally.store.export;

import dev.tally.text.WireName;
import java.util.Optional;

/** The file formats an export of raw events is written in. */
public enum ExportFormat implements WireName {
    NDJSON("ndjson", "application/x-ndjson"),
    CSV("csv", "text/csv; charset=utf-8"),
    PARQUET("parquet", "application/vnd.apache.parquet");

    private final String wireName;
    private final String contentType;

    ExportFormat(String wireName, String contentType) {
        this.wireName = wireName;
        this.contentType = contentType;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public String contentType() {
        return contentType;
    }

    public static Optional<ExportFormat> fromWire(String name) {
        return WireName.find(values(), name);
    }
}
