package dev.tally.report;

import dev.tally.http.CsvTable;
import io.javalin.http.Context;
import java.util.function.Supplier;

/**
 * Answers a report as JSON, or as CSV when the client asks for it with {@code format=csv} or
 * {@code Accept: text/csv}: one place decides, so every report exports the same way.
 */
public final class ReportResponse {

    private ReportResponse() {
    }

    public static boolean wantsCsv(Context context) {
        String format = context.queryParam("format");
        if (format != null) {
            return format.equalsIgnoreCase("csv");
        }
        String accept = context.header("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv");
    }

    public static void send(Context context, Object json, Supplier<CsvTable> csv) {
        if (wantsCsv(context)) {
            context.contentType("text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + fileName(context) + ".csv\"")
                    .result(csv.get().render());
        } else {
            context.json(json);
        }
    }

    private static String fileName(Context context) {
        String path = context.path();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? "report" : last.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
