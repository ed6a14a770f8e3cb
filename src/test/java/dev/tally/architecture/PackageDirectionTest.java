package dev.tally.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Imports run one way: event model → pricing → ingest (parsing, the write planner) → store → the domains a request reaches
 * (reports, live, access, prices, the ingest API, the providers' receivers) → the server and its commands. A package that
 * reaches up makes every layer below it depend on everything above, which is how the code became
 * one cycle of 16 packages before this test existed.
 */
class PackageDirectionTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tally");
    }

    @Test
    void layersOnlyUseTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Model").definedBy("dev.tally.event..", "dev.tally.sms..", "dev.tally.auth..",
                        "dev.tally.tenant..", "dev.tally.error..", "dev.tally.text..", "dev.tally.concurrent..")
                .layer("Pricing").definedBy("dev.tally.pricing..")
                .layer("Ingest").definedBy("dev.tally.ingest", "dev.tally.ingest.dedup..")
                .layer("Store").definedBy("dev.tally.store..")
                .layer("HttpKit").definedBy("dev.tally.http..")
                .layer("Domains").definedBy("dev.tally.report..", "dev.tally.live..", "dev.tally.access..",
                        "dev.tally.prices..", "dev.tally.ingest.api..", "dev.tally.integrations..",
                        "dev.tally.budget..", "dev.tally.lifecycle..", "dev.tally.fairness..")
                .layer("App").definedBy("dev.tally", "dev.tally.app..", "dev.tally.cli..", "dev.tally.demo..",
                        "dev.tally.bench..", "dev.tally.dashboard..")
                .whereLayer("App").mayNotBeAccessedByAnyLayer()
                .whereLayer("Domains").mayOnlyBeAccessedByLayers("App")
                .whereLayer("HttpKit").mayOnlyBeAccessedByLayers("Domains", "App")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Domains", "App")
                .whereLayer("Ingest").mayOnlyBeAccessedByLayers("Store", "Domains", "App")
                .whereLayer("Pricing").mayOnlyBeAccessedByLayers("Ingest", "Store", "Domains", "App")
                .check(classes);
    }

    @Test
    void theHttpKitKnowsNoDomain() {
        noClasses().that().resideInAPackage("dev.tally.http..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.event..", "dev.tally.pricing..",
                        "dev.tally.ingest..", "dev.tally.store..", "dev.tally.report..", "dev.tally.live..",
                        "dev.tally.access..", "dev.tally.prices..", "dev.tally.app..", "dev.tally.auth..",
                        "dev.tally.tenant..", "dev.tally.error..")
                .check(classes);
    }

    @Test
    void theModelImportsNothingAboveIt() {
        noClasses().that().resideInAnyPackage("dev.tally.event..", "dev.tally.sms..", "dev.tally.auth..",
                        "dev.tally.tenant..", "dev.tally.error..", "dev.tally.text..", "dev.tally.concurrent..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.pricing..", "dev.tally.ingest..",
                        "dev.tally.store..", "dev.tally.http..", "dev.tally.report..", "dev.tally.live..",
                        "dev.tally.access..", "dev.tally.prices..", "dev.tally.app..")
                .check(classes);
    }

    @Test
    void noTwoPackagesImportEachOther() {
        slices().matching("dev.tally.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void reportsNeverAskWhichStoreAnswers() {
        noClasses().that().resideInAPackage("dev.tally.report..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.store.duckdb..",
                        "dev.tally.store.clickhouse..")
                .check(classes);
    }
}
