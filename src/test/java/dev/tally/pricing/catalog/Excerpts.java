package dev.tally.pricing.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** The upstream excerpts of the test resources (see EXCERPTS.md there) and lookups into what they import to. */
final class Excerpts {
    static final String LITELLM = "litellm-excerpt.json";
    static final String GENAI_PRICES = "genai-prices-excerpt.json";
    static final String HAND_COLLECTED = "hand-collected.json";

    private Excerpts() {
    }

    static InputStream open(String name) {
        InputStream stream = Excerpts.class.getResourceAsStream(name);
        if (stream == null) {
            throw new UncheckedIOException(new IOException("missing test resource " + name));
        }
        return stream;
    }

    static CatalogEntry only(List<CatalogEntry> entries, CatalogKind kind, String provider, String model, LocalDate from) {
        List<CatalogEntry> found = entries.stream()
                .filter(entry -> entry.kind() == kind && entry.provider().equals(provider)
                        && entry.model().equals(model) && entry.effectiveFrom().equals(from))
                .toList();
        assertThat(found).as("%s %s/%s from %s", kind, provider, model, from).hasSize(1);
        return found.get(0);
    }

    static BigDecimal decimal(String text) {
        return new BigDecimal(text);
    }
}
