package dev.tally.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A report as rows for CSV export: a header and one list of values a row, written by RFC 4180.
 * Every CSV Tally writes goes through here, the dashboard's downloads included (they are the
 * server's CSV), so the spreadsheet rule lives in one place.
 */
public final class CsvTable {
    private final List<String> header;
    private final List<List<?>> rows = new ArrayList<>();

    public CsvTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public CsvTable row(List<?> values) {
        if (values.size() != header.size()) {
            throw new IllegalArgumentException("row has " + values.size() + " values for " + header.size() + " columns");
        }
        rows.add(values);
        return this;
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        line(text, header);
        for (List<?> row : rows) {
            line(text, row);
        }
        return text.toString();
    }

    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    /**
     * A text cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
     * carriage return: an agent id of {@code =HYPERLINK(…)}) gets a leading apostrophe, OWASP's
     * rule against CSV injection; a number written as text stays a number.
     */
    static String neutralised(String text) {
        if (text.isEmpty() || PLAIN_NUMBER.matcher(text).matches()) {
            return text;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + text : text;
    }

    private static void line(StringBuilder text, List<?> values) {
        for (int index = 0; index < values.size(); index++) {
            if (index > 0) {
                text.append(',');
            }
            text.append(escape(values.get(index)));
        }
        text.append("\r\n");
    }

    private static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof Number ? value.toString() : neutralised(value.toString());
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
