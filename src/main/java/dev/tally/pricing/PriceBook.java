package dev.tally.pricing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of every price entry: the platform default book (entries without a
 * tenant) plus the tenants' overrides. Safe to share between threads; a price change makes a new
 * book rather than editing this one.
 *
 * <p>The platform's default book is {@code dev.tally.pricing.catalog.DefaultPrices}: the bundled
 * catalog and the hand-kept entries, a starting point that tenants with negotiated prices override
 * entry by entry.
 *
 * <h2>Which entry applies</h2>
 *
 * See {@link #find}. Two entries for the same tenant, provider, model and effective date would make
 * the price ambiguous, so the constructor rejects them.
 */
public final class PriceBook {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Latest effective date first, so the first entry already in force is the one that applies;
     * provider name next so that a model priced by two providers on the same date resolves the
     * same way every time for an event that names no provider.
     */
    private static final Comparator<PriceEntry> LATEST_FIRST = Comparator
            .comparing(PriceEntry::effectiveFrom, Comparator.reverseOrder())
            .thenComparing(PriceEntry::provider);

    private final List<PriceEntry> entries;
    private final Map<PriceUnit, Shelf> defaultShelves;
    private final Map<String, Map<PriceUnit, Shelf>> tenantShelves;

    public PriceBook(List<PriceEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        this.entries = List.copyOf(entries);
        rejectAmbiguousEntries(this.entries);

        List<PriceEntry> defaultEntries = new ArrayList<>();
        Map<String, List<PriceEntry>> entriesByTenant = new HashMap<>();
        for (PriceEntry entry : this.entries) {
            if (entry.tenantId() == null) {
                defaultEntries.add(entry);
            } else {
                entriesByTenant.computeIfAbsent(entry.tenantId(), tenant -> new ArrayList<>()).add(entry);
            }
        }
        this.defaultShelves = shelvesByUnit(defaultEntries);
        Map<String, Map<PriceUnit, Shelf>> shelves = new HashMap<>();
        entriesByTenant.forEach((tenant, tenantEntries) -> shelves.put(tenant, shelvesByUnit(tenantEntries)));
        this.tenantShelves = Map.copyOf(shelves);
    }

    private static Map<PriceUnit, Shelf> shelvesByUnit(List<PriceEntry> shelfEntries) {
        Map<PriceUnit, List<PriceEntry>> byUnit = new java.util.EnumMap<>(PriceUnit.class);
        for (PriceEntry entry : shelfEntries) {
            byUnit.computeIfAbsent(entry.unit(), unit -> new ArrayList<>()).add(entry);
        }
        Map<PriceUnit, Shelf> shelves = new java.util.EnumMap<>(PriceUnit.class);
        byUnit.forEach((unit, unitEntries) -> shelves.put(unit, new Shelf(unitEntries)));
        return shelves;
    }

    /** Every entry, defaults and overrides, in the order given to the constructor. */
    public List<PriceEntry> entries() {
        return entries;
    }

    /**
     * The token entry in force for this tenant, provider and model at that instant (epoch ms, UTC);
     * see {@link #find(PriceUnit, String, String, String, String, long)}.
     */
    public Optional<PriceEntry> find(String tenantId, String provider, String model, long timeMs) {
        if (model == null) {
            return Optional.empty();
        }
        return find(PriceUnit.TOKENS, tenantId, provider, model, null, timeMs);
    }

    /**
     * The entry of this unit in force for this tenant, provider, model and number at that instant
     * (epoch ms, UTC).
     *
     * <p>Only entries of the unit and of the event's provider are considered (every provider when
     * the event names none) and only entries whose effective date is on or before the event's UTC
     * date: a price entered later never changes what an older event cost. Candidates are tried in
     * this order, and the first group that has an entry in force wins: the tenant's exact model
     * entries, the tenant's patterns from the longest prefix to the shortest, then the default
     * book's exact entries and its patterns the same way. Within a group the entry with the longest
     * number prefix matching the event's number wins (entries without one match every number),
     * then the latest effective one. A tenant's override therefore beats even an exact default,
     * and a more specific pattern or number prefix whose entries all start later than the event
     * gives way to a shorter one.
     *
     * @param tenantId the event's tenant, or null to consult the default book only
     * @param provider the event's provider, or null (or blank) to match any provider
     * @param model the event's model, or null when it names none: then only the {@code "*"} entries match
     * @param number the call's E.164 number, or null: then only entries without a prefix match
     */
    public Optional<PriceEntry> find(PriceUnit unit, String tenantId, String provider, String model, String number,
                                     long timeMs) {
        String wantedProvider = provider == null || provider.isBlank() ? null : provider;
        // no exact entry is named "", and only the lone "*" has the empty prefix
        String wantedModel = model == null ? "" : model;
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(timeMs), ZoneOffset.UTC);
        if (tenantId != null) {
            Shelf tenantShelf = tenantShelves.getOrDefault(tenantId, Map.of()).get(unit);
            if (tenantShelf != null) {
                Optional<PriceEntry> override = tenantShelf.find(wantedProvider, wantedModel, number, day);
                if (override.isPresent()) {
                    return override;
                }
            }
        }
        Shelf defaultShelf = defaultShelves.get(unit);
        return defaultShelf == null ? Optional.empty() : defaultShelf.find(wantedProvider, wantedModel, number, day);
    }

    /**
     * Reads a JSON array of entries with snake_case keys, the format of the bundled default book
     * ({@code tenant_id} may be given too). Lets an import route accept the same format.
     *
     * @throws InvalidPriceEntryException when an entry breaks a rule, naming the field
     * @throws IOException when the text is not such an array
     */
    public static List<PriceEntry> readEntries(InputStream json) throws IOException {
        try {
            return JSON.readValue(json, new TypeReference<List<PriceEntry>>() { });
        } catch (ValueInstantiationException wrapped) {
            // Jackson wraps the record's own validation error; callers want the field it names.
            if (wrapped.getCause() instanceof InvalidPriceEntryException invalid) {
                throw invalid;
            }
            throw wrapped;
        }
    }

    private static void rejectAmbiguousEntries(List<PriceEntry> entries) {
        Map<PriceEntry.Key, PriceEntry> seen = new HashMap<>();
        for (PriceEntry entry : entries) {
            PriceEntry earlier = seen.putIfAbsent(entry.key(), entry);
            if (earlier != null) {
                throw new IllegalArgumentException("two price entries for tenant " + entry.tenantId() + ", "
                        + entry.provider() + "/" + entry.model() + (entry.prefix() == null ? "" : " " + entry.prefix())
                        + " from " + entry.effectiveFrom()
                        + " (ids " + earlier.id() + " and " + entry.id() + ")");
            }
        }
    }

    /** One tenant's entries (or the default book's), indexed for lookup by model. */
    private static final class Shelf {
        private final Map<String, List<PriceEntry>> exactByModel;
        /** Longest prefix first, since the most specific pattern wins. */
        private final List<PatternGroup> patterns;

        Shelf(List<PriceEntry> shelfEntries) {
            Map<String, List<PriceEntry>> exact = new HashMap<>();
            Map<String, List<PriceEntry>> byPrefix = new LinkedHashMap<>();
            for (PriceEntry entry : shelfEntries) {
                Map<String, List<PriceEntry>> target = entry.modelIsPattern() ? byPrefix : exact;
                target.computeIfAbsent(entry.modelPrefix(), key -> new ArrayList<>()).add(entry);
            }
            Map<String, List<PriceEntry>> sortedExact = new HashMap<>();
            exact.forEach((model, list) -> sortedExact.put(model, sortedLatestFirst(list)));
            this.exactByModel = Map.copyOf(sortedExact);
            List<PatternGroup> groups = new ArrayList<>();
            byPrefix.forEach((prefix, list) -> groups.add(new PatternGroup(prefix, sortedLatestFirst(list))));
            groups.sort(Comparator.comparingInt((PatternGroup group) -> group.prefix().length()).reversed());
            this.patterns = List.copyOf(groups);
        }

        Optional<PriceEntry> find(String provider, String model, String number, LocalDate day) {
            Optional<PriceEntry> exact = firstInForce(exactByModel.getOrDefault(model, List.of()), provider, number,
                    day);
            if (exact.isPresent()) {
                return exact;
            }
            for (PatternGroup group : patterns) {
                if (model.startsWith(group.prefix())) {
                    Optional<PriceEntry> found = firstInForce(group.latestFirst(), provider, number, day);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            return Optional.empty();
        }

        /** The longest matching number prefix in force, the latest of those: the list is latest first. */
        private static Optional<PriceEntry> firstInForce(List<PriceEntry> latestFirst, String provider, String number,
                                                         LocalDate day) {
            PriceEntry best = null;
            for (PriceEntry entry : latestFirst) {
                boolean providerMatches = provider == null || provider.equals(entry.provider());
                if (providerMatches && !entry.effectiveFrom().isAfter(day) && entry.coversNumber(number)
                        && (best == null || entry.prefixLength() > best.prefixLength())) {
                    best = entry;
                }
            }
            return Optional.ofNullable(best);
        }

        private static List<PriceEntry> sortedLatestFirst(List<PriceEntry> list) {
            List<PriceEntry> sorted = new ArrayList<>(list);
            sorted.sort(LATEST_FIRST);
            return List.copyOf(sorted);
        }
    }

    private record PatternGroup(String prefix, List<PriceEntry> latestFirst) { }
}
