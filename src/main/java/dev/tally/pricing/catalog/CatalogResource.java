package dev.tally.pricing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The catalog bundled with Tally: public list prices with their dates and sources, see its provenance. */
public final class CatalogResource {
    static final String RESOURCE = "/dev/tally/pricing/catalog/catalog.json";

    private CatalogResource() {
    }

    /** Reads and validates the bundled catalog; a broken resource is a build defect, so it fails loudly. */
    public static CatalogFile load() {
        try (InputStream json = CatalogResource.class.getResourceAsStream(RESOURCE)) {
            if (json == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return CatalogFile.read(json);
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot read " + RESOURCE, failure);
        }
    }
}
