package dev.tally.store.clickhouse;

import dev.tally.store.sql.Sql;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;

/**
 * Binds a {@link Sql}'s parameters by writing them into the text as ClickHouse literals. The HTTP
 * interface of ClickHouse 18.x has no bound parameters ({@code param_} arrived in 19.x), so every
 * value is rendered here, by ClickHouse's quoting rules: strings in single quotes with backslash
 * escapes, numbers in plain decimal. A {@code ?} inside a quoted string, a quoted identifier or a
 * comment is text, not a placeholder.
 */
final class ClickHouseLiterals {

    private ClickHouseLiterals() {
    }

    static String bind(Sql sql) {
        String text = sql.text();
        List<Object> parameters = sql.parameters();
        StringBuilder bound = new StringBuilder(text.length() + parameters.size() * 8);
        int next = 0;
        int index = 0;
        while (index < text.length()) {
            char current = text.charAt(index);
            if (current == '\'' || current == '"' || current == '`') {
                int end = quotedEnd(text, index, current);
                bound.append(text, index, end);
                index = end;
            } else if (current == '-' && index + 1 < text.length() && text.charAt(index + 1) == '-') {
                int end = text.indexOf('\n', index);
                end = end < 0 ? text.length() : end;
                bound.append(text, index, end);
                index = end;
            } else if (current == '?') {
                if (next >= parameters.size()) {
                    throw new IllegalArgumentException("more placeholders than the " + parameters.size()
                            + " parameters in " + text);
                }
                bound.append(literal(parameters.get(next++)));
                index++;
            } else {
                bound.append(current);
                index++;
            }
        }
        if (next != parameters.size()) {
            throw new IllegalArgumentException(parameters.size() + " parameters for " + next + " placeholders in " + text);
        }
        return bound.toString();
    }

    /** The index just after the quoted run that starts at {@code start}; quotes escape by backslash or doubling. */
    private static int quotedEnd(String text, int start, char quote) {
        int index = start + 1;
        while (index < text.length()) {
            char current = text.charAt(index);
            if (current == '\\') {
                index += 2;
            } else if (current == quote) {
                if (index + 1 < text.length() && text.charAt(index + 1) == quote) {
                    index += 2;
                } else {
                    return index + 1;
                }
            } else {
                index++;
            }
        }
        throw new IllegalArgumentException("unterminated " + quote + " in " + text);
    }

    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String text) {
            return string(text);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return integer(((Number) value).longValue());
        }
        if (value instanceof BigInteger number) {
            return number.signum() < 0 ? "(" + number + ")" : number.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (!Double.isFinite(number)) {
                throw new IllegalArgumentException("no SQL literal for " + number);
            }
            String plain = BigDecimal.valueOf(number).toPlainString();
            return number < 0 ? "(" + plain + ")" : plain;
        }
        if (value instanceof BigDecimal number) {
            return number.signum() < 0 ? "(" + number.toPlainString() + ")" : number.toPlainString();
        }
        if (value instanceof Boolean flag) {
            return flag ? "1" : "0";
        }
        if (value instanceof LocalDate date) {
            return string(date.toString());
        }
        if (value instanceof Enum<?> constant) {
            return string(constant.name());
        }
        throw new IllegalArgumentException("no ClickHouse literal for a " + value.getClass().getName());
    }

    /**
     * A negative literal is parenthesised so that {@code x - ?} never reads as {@code x --…}, a
     * comment. The smallest long has no positive counterpart to negate, so it is spelled as a cast.
     */
    private static String integer(long value) {
        if (value == Long.MIN_VALUE) {
            return "toInt64('-9223372036854775808')";
        }
        return value < 0 ? "(" + value + ")" : Long.toString(value);
    }

    /** A single-quoted string: backslash and quote escaped, control characters as escapes so the text stays one line. */
    static String string(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('\'');
        for (int index = 0; index < text.length(); index++) {
            char current = text.charAt(index);
            switch (current) {
                case '\\' -> quoted.append("\\\\");
                case '\'' -> quoted.append("\\'");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '\0' -> quoted.append("\\0");
                case '\b' -> quoted.append("\\b");
                case '\f' -> quoted.append("\\f");
                default -> {
                    if (current < 0x20 || current == 0x7f) {
                        quoted.append(String.format("\\x%02X", (int) current));
                    } else {
                        quoted.append(current);
                    }
                }
            }
        }
        return quoted.append('\'').toString();
    }
}
