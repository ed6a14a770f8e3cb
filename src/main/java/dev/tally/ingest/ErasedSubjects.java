package dev.tally.ingest;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.tenant.ErasureSubject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The subjects erased so far, and the rule that keeps them erased: an event written after an
 * erasure that names an erased identifier is stored under its pseudonym, its free attributes and
 * SMS body dropped, as if it had been sent that way. So a late part of an erased call joins the
 * pseudonymous call instead of starting a second one, and a redelivered call event is still
 * recognised as a duplicate.
 *
 * <p>A pseudonym is a keyed hash (HMAC-SHA256 with the tenant's own random key) of the identifier:
 * stable, so one subject's rows still group together in every report, and not reversible by
 * guessing phone numbers without the key. Only pseudonyms are held here, never identifiers.
 */
public final class ErasedSubjects {
    private static final String PREFIX = "erased-";
    /** 80 bits: no two subjects of a tenant share a pseudonym in any realistic number of erasures. */
    private static final int HEX_LENGTH = 20;

    private final Map<String, TenantSubjects> tenants = new ConcurrentHashMap<>();

    private record TenantSubjects(String key, Map<ErasureSubject, Set<String>> pseudonyms) {
    }

    public static String pseudonym(String key, ErasureSubject subject, String identifier) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((subject.wireName() + '\u0000' + identifier).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest).substring(0, HEX_LENGTH);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", impossible);
        }
    }

    /** Whether the value is a pseudonym already (erasing it again would change nothing). */
    public static boolean isPseudonym(String value) {
        return value.startsWith(PREFIX) && value.length() == PREFIX.length() + HEX_LENGTH;
    }

    /** Remembers an erased subject of the tenant, whose pseudonyms are made with this key. */
    public void add(String tenantId, String key, ErasureSubject subject, String pseudonym) {
        TenantSubjects known = tenants.computeIfAbsent(tenantId,
                tenant -> new TenantSubjects(key, new EnumMap<>(ErasureSubject.class)));
        if (!known.key().equals(key)) {
            throw new IllegalStateException("tenant " + tenantId + " has two pseudonym keys");
        }
        synchronized (known) {
            known.pseudonyms().computeIfAbsent(subject, kind -> new HashSet<>()).add(pseudonym);
        }
    }

    /** Forgets a deleted tenant's subjects. */
    public void forget(String tenantId) {
        tenants.remove(tenantId);
    }

    /** Rewrites, in place, every event that names an erased subject; events of tenants with no erasure cost a map lookup. */
    public void apply(List<Event> events) {
        if (tenants.isEmpty()) {
            return;
        }
        for (Event event : events) {
            TenantSubjects known = tenants.get(event.tenantId);
            if (known != null) {
                synchronized (known) {
                    apply(event, known);
                }
            }
        }
    }

    private static void apply(Event event, TenantSubjects known) {
        Swap swap = new Swap(known);
        for (ErasureSubject subject : known.pseudonyms().keySet()) {
            switch (subject) {
                case MEMBER_ID -> event.memberId = swap.of(subject, event.memberId);
                case PHONE_NUMBER -> event.phoneNumber = swap.of(subject, event.phoneNumber);
                case USER_EMAIL -> event.userEmail = swap.of(subject, event.userEmail);
                case CALL_ID -> {
                    event.callId = swap.of(subject, event.callId);
                    if (event.type == EventType.CALL) {
                        event.id = swap.of(subject, event.id);
                    }
                }
            }
        }
        if (swap.swapped || namedInAttributes(event, known)) {
            event.attributes = Map.of();
            event.body = null;
        }
    }

    /** Gives an erased identifier's pseudonym in its place, and remembers that it did. */
    private static final class Swap {
        private final TenantSubjects known;
        private boolean swapped;

        Swap(TenantSubjects known) {
            this.known = known;
        }

        String of(ErasureSubject subject, String identifier) {
            String pseudonym = replaced(known.key(), subject, identifier, known.pseudonyms().get(subject));
            swapped |= pseudonym != null;
            return pseudonym == null ? identifier : pseudonym;
        }
    }

    /** Whether an attribute's value is an erased identifier of any kind (the fee of an erased number names it so). */
    private static boolean namedInAttributes(Event event, TenantSubjects known) {
        for (String value : event.attributes.values()) {
            for (Map.Entry<ErasureSubject, Set<String>> entry : known.pseudonyms().entrySet()) {
                if (replaced(known.key(), entry.getKey(), value, entry.getValue()) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The pseudonym of the identifier when it names an erased subject, else null. */
    private static String replaced(String key, ErasureSubject subject, String identifier, Set<String> pseudonyms) {
        if (identifier == null) {
            return null;
        }
        String pseudonym = pseudonym(key, subject, identifier);
        return pseudonyms.contains(pseudonym) ? pseudonym : null;
    }
}
