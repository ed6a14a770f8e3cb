package dev.tally.integrations.twilio;

import dev.tally.error.Rejection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The parameters of a Twilio callback ({@code application/x-www-form-urlencoded}), read by the names
 * Twilio sends them under, so a value Tally refuses is named as Twilio named it ({@code CallDuration}).
 * Twilio sends a parameter it has no value for yet as an empty one ({@code Price=}): empty is absent.
 */
final class TwilioForm {
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{2,64}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private final SortedMap<String, List<String>> parameters;

    private TwilioForm(SortedMap<String, List<String>> parameters) {
        this.parameters = parameters;
    }

    static TwilioForm parse(byte[] body) {
        SortedMap<String, List<String>> parameters = new TreeMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return new TwilioForm(parameters);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            throw Rejection.invalid("body", "is not a form body (application/x-www-form-urlencoded): "
                    + malformed.getMessage());
        }
    }

    /** Every parameter with all its values, sorted by name: what Twilio signed. */
    SortedMap<String, List<String>> parameters() {
        return Collections.unmodifiableSortedMap(parameters);
    }

    /** The parameter's value, null when absent or empty; one sent twice with different values is refused. */
    String text(String name) {
        List<String> values = parameters.get(name);
        if (values == null) {
            return null;
        }
        String value = values.get(0);
        for (String other : values) {
            if (!other.equals(value)) {
                throw Rejection.invalid(name, "is sent more than once, with different values");
            }
        }
        return value.isEmpty() ? null : value;
    }

    /** The first of these names that has a value: Twilio sends some parameters under an older name too ({@code SmsSid}). */
    String firstPresent(String... names) {
        for (String name : names) {
            if (text(name) != null) {
                return name;
            }
        }
        return names[0];
    }

    String requiredText(String name) {
        String value = text(name);
        if (value == null) {
            throw Rejection.invalid(name, "is required");
        }
        return value;
    }

    /** A required parameter that must be one of an enum's values, by the name Twilio writes each with. */
    <E extends Enum<E>> E requiredOneOf(String name, E[] values, Function<E, String> wireName) {
        String value = requiredText(name);
        for (E candidate : values) {
            if (wireName.apply(candidate).equals(value)) {
                return candidate;
            }
        }
        throw Rejection.invalid(name, "must be one of " + Arrays.stream(values).map(wireName)
                .collect(Collectors.joining(", ")));
    }

    /** A Twilio sid ({@code SM…}, {@code CA…}): the id of the event. */
    String requiredSid(String name) {
        String sid = requiredText(name);
        if (!SID.matcher(sid).matches()) {
            throw Rejection.invalid(name, "must be a Twilio sid: 2 to 64 letters and digits");
        }
        return sid;
    }

    /** A count Twilio sends as digits ({@code NumSegments}, {@code CallDuration}); null when absent. */
    Long wholeNumber(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw Rejection.invalid(name, "must be a whole number of at most 9 digits");
        }
        return Long.valueOf(value);
    }
}
