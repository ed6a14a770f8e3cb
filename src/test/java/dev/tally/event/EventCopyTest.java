package dev.tally.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Event#copy} copies every field, the ones added after it was written too. */
class EventCopyTest {
    @Test
    void aCopyHoldsEveryFieldOfTheOriginal() throws IllegalAccessException {
        Event original = new Event();
        int distinct = 1;
        for (Field field : Event.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.set(original, valueOf(field.getType(), distinct++));
        }
        Event copy = original.copy();
        for (Field field : Event.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                assertThat(field.get(copy)).as(field.getName()).isNotNull().isEqualTo(field.get(original));
            }
        }
        assertThat(copy).isNotSameAs(original);
    }

    private static Object valueOf(Class<?> type, int distinct) {
        if (type == String.class) {
            return "value-" + distinct;
        } else if (type == long.class || type == Long.class) {
            return 1_000L + distinct;
        } else if (type == int.class || type == Integer.class) {
            return 1_000 + distinct;
        } else if (type == Map.class) {
            return Map.of("key", "value-" + distinct);
        } else if (type == EventType.class) {
            return EventType.SMS;
        } else if (type == CostSource.class) {
            return CostSource.REPORTED;
        }
        throw new AssertionError("a field of a type this test does not know yet: " + type);
    }
}
