package dev.tally.store.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Builds a {@link Sql}: text with {@code ?} placeholders and the values bound to them, appended in
 * step so a placeholder can never drift from its value. Reports build their queries with it;
 * engine-specific pieces come from the {@link SqlDialect}.
 */
public final class SqlBuilder {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    public SqlBuilder append(String sql) {
        text.append(sql);
        return this;
    }

    /** Appends one placeholder bound to {@code value}. */
    public SqlBuilder value(Object value) {
        text.append('?');
        parameters.add(value);
        return this;
    }

    /** Appends a piece built elsewhere (a relation a store rendered), its placeholders bound as it bound them. */
    public SqlBuilder append(Sql piece) {
        text.append(piece.text());
        parameters.addAll(piece.parameters());
        return this;
    }

    /** Appends {@code (?, ?, …)} bound to the values; callers must not pass an empty collection. */
    public SqlBuilder values(Collection<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        text.append('(');
        boolean first = true;
        for (Object value : values) {
            if (!first) {
                text.append(", ");
            }
            first = false;
            value(value);
        }
        text.append(')');
        return this;
    }

    public Sql build() {
        return new Sql(text.toString(), parameters);
    }
}
