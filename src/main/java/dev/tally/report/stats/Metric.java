package dev.tally.report.stats;

/** A value computed per llm event that the statistics aggregate per bucket. */
interface Metric {

    /** The name clients send and that ends every output key, e.g. {@code input_tokens}. */
    String wireName();

    /** Portable SQL for the metric's value on one row of {@code events}; NULL when the event has none. */
    String sqlExpression();

    MetricUnit unit();
}
