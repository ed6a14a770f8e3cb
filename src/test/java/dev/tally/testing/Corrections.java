package dev.tally.testing;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.util.Random;

/** Late corrections of stored events, as the store tests send them. */
public final class Corrections {
    private Corrections() {
    }

    /**
     * A higher revision of a stored event, of the same type, as a correction may change it: other
     * counts, cost and credits, another member (a chat: another owner), and for some another time,
     * up to a day and a half either way.
     */
    public static Event corrected(Event stored, Random random) {
        Event correction = stored.copy();
        correction.revision = stored.revision + 1 + random.nextInt(3);
        if (random.nextBoolean()) {
            long shift = (random.nextInt(60) - 30) * 3_600_000L + random.nextInt(3_600_000);
            correction.timeMs += shift;
            if (correction.endedMs != null) {
                correction.endedMs += shift;
            }
        }
        correction.inputTokens += random.nextInt(500);
        correction.costNanos += random.nextInt(1_000_000);
        correction.outputCostNanos = correction.costNanos - correction.inputCostNanos;
        correction.creditsMicros += random.nextInt(1_000);
        if (correction.memberId != null || correction.type == EventType.CHAT) {
            correction.memberId = "corrected-member-" + random.nextInt(3);
        }
        return correction;
    }
}
