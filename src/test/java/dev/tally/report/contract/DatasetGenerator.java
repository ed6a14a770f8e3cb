package dev.tally.report.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a seed's dataset. Each tenant sends three batches, as a platform would over time: the
 * first holds most events (calls as first seen, some of their updates later in the same batch, a few
 * ids twice); the second the calls' final states and corrections, retries of earlier events (some
 * exact, some altered on the way), chats that arrive after their messages, and late corrections
 * (higher revisions, some sent out of order, some followed by an older revision); the third calls that
 * report {@code in_progress} again after they finished, a few of them as a correction that reopens the call.
 */
final class DatasetGenerator {
    static final int BATCHES = 3;
    private static final LocalDate EARLIEST_FIRST_DAY = LocalDate.parse("2026-05-06");
    private static final LocalDate LAST_DAY_BEFORE_NOW = LocalDate.parse("2026-05-19");
    private static final List<String> FINAL_STATUSES = List.of("completed", "completed", "failed");

    private final Random random;

    private DatasetGenerator(long seed) {
        random = new Random(seed);
    }

    /** With {@code crowdAllowed}, one seed in four also has the {@link Dataset#CROWD} tenants. */
    static Dataset generate(long seed, boolean crowdAllowed) {
        return new DatasetGenerator(seed).dataset(seed, crowdAllowed);
    }

    private Dataset dataset(long seed, boolean crowdAllowed) {
        LocalDate firstDay = EARLIEST_FIRST_DAY.plusDays(random.nextInt(5));
        int maximumDays = (int) (LAST_DAY_BEFORE_NOW.toEpochDay() - firstDay.toEpochDay()) + 1;
        int days = 3 + random.nextInt(Math.min(10, maximumDays) - 2);
        LocalDate priceChangeDay = firstDay.plusDays(1 + random.nextInt(days - 1));
        Map<String, List<List<ObjectNode>>> batches = new LinkedHashMap<>();
        Dataset window = new Dataset(seed, firstDay, days, priceChangeDay, batches);
        double[] scales = {1.0, 0.6, 0.25};
        for (int index = 0; index < Dataset.TENANTS.size(); index++) {
            RandomMoments moments = new RandomMoments(random, window.windowStart(), window.windowEnd());
            batches.put(Dataset.TENANTS.get(index), tenantBatches(new RandomEvents(random, moments), scales[index]));
        }
        List<String> crowd = random.nextInt(4) == 0 && crowdAllowed ? Dataset.CROWD : List.of();
        for (String tenant : crowd) {
            RandomEvents events = new RandomEvents(random, new RandomMoments(random, window.windowStart(),
                    window.windowEnd()));
            ObjectNode call = events.callIdentity();
            List<String> callIds = List.of(EventFields.id(call));
            batches.put(tenant, List.of(List.of(events.finished(call, "completed"), events.tts(List.of()),
                    events.llm(List.of(), callIds, List.of()), events.llm(List.of(), callIds, List.of())), List.of(),
                    List.of()));
        }
        return window;
    }

    private List<List<ObjectNode>> tenantBatches(RandomEvents events, double scale) {
        List<ObjectNode> first = new ArrayList<>();
        List<ObjectNode> firstTail = new ArrayList<>();
        List<ObjectNode> second = new ArrayList<>();
        List<ObjectNode> third = new ArrayList<>();
        List<String> callIds = calls(events, count(70, scale), first, firstTail, second, third);
        List<ObjectNode> others = new ArrayList<>();
        List<String> chatIds = new ArrayList<>();
        for (int index = 0; index < count(12, scale); index++) {
            ObjectNode chat = events.chat();
            chatIds.add(EventFields.id(chat));
            // a chat announced after its messages still owns them
            (random.nextInt(10) < 3 ? second : others).add(chat);
        }
        List<String> llmIds = new ArrayList<>();
        for (int index = 0; index < count(180, scale); index++) {
            ObjectNode llm = events.llm(chatIds, callIds, llmIds);
            llmIds.add(EventFields.id(llm));
            others.add(llm);
        }
        for (int index = 0; index < count(35, scale); index++) {
            others.add(events.stt(callIds));
            others.add(events.tts(callIds));
        }
        for (int index = 0; index < count(30, scale); index++) {
            others.add(events.fee(callIds));
        }
        for (int index = 0; index < count(60, scale); index++) {
            others.add(events.sms());
            others.add(events.message(chatIds));
        }
        for (ObjectNode event : others) {
            int draw = random.nextInt(100);
            if (draw < 5) {
                second.add(event.deepCopy());
            } else if (draw < 8) {
                second.add(events.altered(event));
            } else if (draw < 10) {
                firstTail.add(events.altered(event));
            } else if (draw < 18) {
                corrections(events, event, firstTail, second);
            }
        }
        first.addAll(others);
        Collections.shuffle(first, random);
        first.addAll(firstTail);
        Collections.shuffle(second, random);
        return List.of(first, second, third);
    }

    /**
     * Late corrections of one event: a higher revision in a later batch or at the end of the first,
     * sometimes a second one sent before it (the highest must stand whatever the order), and
     * sometimes an older revision after them (stale) or the same one again (duplicate).
     */
    private void corrections(RandomEvents events, ObjectNode event, List<ObjectNode> firstTail,
                             List<ObjectNode> second) {
        List<ObjectNode> later = random.nextInt(4) == 0 ? firstTail : second;
        ObjectNode correction = events.corrected(event, 1 + random.nextInt(2));
        later.add(correction);
        if (random.nextInt(3) == 0) {
            ObjectNode higher = events.corrected(event, EventFields.count(correction, "revision") + 1);
            (random.nextBoolean() ? second : firstTail).add(0, higher);
        }
        int draw = random.nextInt(6);
        if (draw == 0) {
            second.add(events.corrected(event, 0));
        } else if (draw == 1) {
            second.add(correction.deepCopy());
        }
    }

    /** Calls in every life cycle; returns their ids, for LLM requests to name. */
    private List<String> calls(RandomEvents events, int count, List<ObjectNode> first, List<ObjectNode> firstTail,
                               List<ObjectNode> second, List<ObjectNode> third) {
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            ObjectNode identity = events.callIdentity();
            ids.add(EventFields.id(identity));
            int path = random.nextInt(100);
            if (path < 15) {
                first.add(events.inProgress(identity));
                continue;
            }
            ObjectNode finished = events.finished(later(events, identity), FINAL_STATUSES.get(random.nextInt(3)));
            if (path < 50) {
                first.add(finished);
            } else if (path < 75) {
                first.add(events.inProgress(identity));
                second.add(finished);
            } else if (path < 82) {
                first.add(events.inProgress(identity));
                firstTail.add(finished);
            } else if (path < 90) {
                // sent only after its parts: the first batch holds its LLM turns, transcriptions and fees
                second.add(finished);
            } else {
                // a post-call correction: another cost, sentiment, even status, replaces the first final state
                first.add(finished);
                second.add(events.finished(later(events, identity), FINAL_STATUSES.get(random.nextInt(3))));
            }
            int late = random.nextInt(20);
            if (late < 2) {
                third.add(events.inProgress(identity));
            } else if (late == 2) {
                // a correction reopens the call, whatever its status
                third.add(events.inProgress(identity).put("revision", 1));
            }
        }
        return ids;
    }

    /** Most later states name the call as before; some name another agent, user, number or direction. */
    private ObjectNode later(RandomEvents events, ObjectNode earlier) {
        return random.nextInt(4) == 0 ? events.reassigned(earlier) : earlier;
    }

    private int count(int base, double scale) {
        return Math.max(2, (int) Math.round(base * scale * (0.7 + 0.6 * random.nextDouble())));
    }
}
