package dev.tally.app;

/** The running version, from the jar's manifest when packaged. */
public final class Version {
    public static final String CURRENT = current();

    private Version() {
    }

    private static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
