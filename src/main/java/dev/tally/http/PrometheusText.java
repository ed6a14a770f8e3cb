package dev.tally.http;

/**
 * Text in the Prometheus exposition format (version 0.0.4): metric families, each a HELP and TYPE
 * line and its samples. Written by hand: a dozen lines of format are not worth a client library.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder();

    /** Starts a family; {@code type} is {@code counter} or {@code gauge}. */
    public PrometheusText family(String name, String help, String type) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} are names and values, alternating. */
    public PrometheusText sample(String name, String value, String... labels) {
        text.append(name).append('{');
        for (int index = 0; index + 1 < labels.length; index += 2) {
            if (index > 0) {
                text.append(',');
            }
            text.append(labels[index]).append("=\"").append(escape(labels[index + 1])).append('"');
        }
        text.append("} ").append(value).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
