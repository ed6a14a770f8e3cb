package dev.tally.text;

import java.util.Optional;

/** A value known on the wire by a name of its own ({@code block_calls}), found back from it. */
public interface WireName {
    String wireName();

    /** The value of {@code values} with that wire name; empty for a name none has (or null). */
    static <T extends WireName> Optional<T> find(T[] values, String name) {
        for (T value : values) {
            if (value.wireName().equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
