package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.Main;
import dev.tally.http.Json;
import dev.tally.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin commands against a real server: what an operator types, and what it does. */
class AdminCommandsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(out);
        }
    }

    private static Run tally(String... arguments) {
        return tallyWithToken(TestServer.ADMIN_TOKEN, arguments);
    }

    /** Runs the command line in this JVM against the test server, capturing what it prints. */
    private static Run tallyWithToken(String token, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] withServer = new String[arguments.length + 4];
            System.arraycopy(arguments, 0, withServer, 0, arguments.length);
            withServer[arguments.length] = "--url";
            withServer[arguments.length + 1] = server.url("");
            withServer[arguments.length + 2] = "--admin-token";
            withServer[arguments.length + 3] = token;
            int exitCode = Main.commandLine().execute(withServer);
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void addsListsAndDeletesPriceEntriesOfEveryUnit() throws Exception {
        Run call = tally("prices", "add", "--provider", "twilio", "--model", "*", "--prefix", "+44",
                "--effective-from", "2026-01-01", "--rate", "per_minute_outbound=0.03",
                "--rate", "per_minute_inbound=0.01");
        assertThat(call.exitCode()).as(call.err()).isZero();
        assertThat(call.json().path("unit").asText()).isEqualTo("call_minute");
        assertThat(call.json().path("prefix").asText()).isEqualTo("+44");
        assertThat(call.json().path("per_minute_outbound").decimalValue()).isEqualByComparingTo("0.03");
        Run stt = tally("prices", "add", "--tenant", "cli-prices", "--provider", "deepgram", "--model", "nova*",
                "--effective-from", "2026-01-01", "--rate", "per_audio_minute=0.0043");
        assertThat(stt.exitCode()).as(stt.err()).isZero();
        String sttId = stt.json().path("id").asText();

        Run list = tally("prices", "list", "--tenant", "cli-prices");
        assertThat(list.exitCode()).isZero();
        assertThat(list.json().path("prices").findValuesAsText("id")).contains(sttId, call.json().path("id").asText());

        Run deleted = tally("prices", "delete", sttId);
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(tally("prices", "list", "--tenant", "cli-prices").out()).doesNotContain(sttId);
    }

    @Test
    void importsACatalogAfterADryRunAndASecondImportChangesNothing() throws Exception {
        Path catalog = Files.createTempFile("litellm", ".json");
        Files.writeString(catalog, """
                {"cli-ai/cli-model": {"litellm_provider": "cli-ai", "mode": "chat",
                  "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
                 "cli-ai/embedder": {"litellm_provider": "cli-ai", "mode": "embedding", "input_cost_per_token": 1e-07}}""");
        try {
            Run dryRun = tally("prices", "import", catalog.toString(), "--format", "litellm", "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("Dry run, nothing stored. Would add 1, change 0, leave 0 unchanged")
                    .contains("1 mode not metered: embedding")
                    .contains("+ tokens cli-ai/cli-model from 1970-01-01: input_per_million 1");
            assertThat(tally("prices", "list").out()).doesNotContain("cli-model");

            Run stored = tally("prices", "import", catalog.toString(), "--format", "litellm",
                    "--catalog-version", "2026-12-01");
            assertThat(stored.exitCode()).as(stored.err()).isZero();
            assertThat(stored.out()).startsWith("Added 1, changed 0, leave 0 unchanged");
            assertThat(tally("prices", "list").json().path("prices").findValuesAsText("source"))
                    .contains("litellm 2026-12-01");

            Run again = tally("prices", "import", catalog.toString(), "--format", "litellm", "--json");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.json().path("unchanged").asInt()).isEqualTo(1);
            assertThat(again.json().path("added").size()).isZero();

            Run wrongFormat = tally("prices", "import", catalog.toString(), "--format", "genai-prices");
            assertThat(wrongFormat.exitCode()).isEqualTo(1);
            assertThat(wrongFormat.err()).contains("HTTP 400").contains("body");
        } finally {
            Files.delete(catalog);
        }
    }

    @Test
    void aBadRateIsRefusedBeforeOrByTheServerNamingIt() {
        Run misspelt = tally("prices", "add", "--provider", "deepgram", "--model", "nova*", "--effective-from",
                "2026-01-01", "--rate", "per_audio_minutes=0.0043");
        assertThat(misspelt.exitCode()).isEqualTo(2);
        assertThat(misspelt.err()).contains("per_audio_minutes")
                .as("the names the help lists are the rates there are")
                .contains(String.join(", ", dev.tally.pricing.PriceEntry.rateNames()));
        Run notANumber = tally("prices", "add", "--provider", "deepgram", "--model", "nova*", "--effective-from",
                "2026-01-01", "--rate", "per_audio_minute=cheap");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("cheap");
        Run twoUnits = tally("prices", "add", "--provider", "deepgram", "--model", "nova*", "--effective-from",
                "2026-01-01", "--rate", "per_audio_minute=0.0043", "--rate", "per_million_characters=15");
        assertThat(twoUnits.exitCode()).isEqualTo(1);
        assertThat(twoUnits.err()).contains("HTTP 400").contains("per_million_characters");
    }

    @Test
    void createsATenantAndAKeyThatWorksThenRevokesIt() throws Exception {
        Run tenant = tally("tenants", "create", "cli-tenant", "--name", "From the CLI");
        assertThat(tenant.exitCode()).as(tenant.err()).isZero();
        assertThat(tenant.json().path("id").asText()).isEqualTo("cli-tenant");

        Run key = tally("keys", "create", "--tenant", "cli-tenant", "--name", "exports", "--scope",
                "analytics:read,events:write", "--expires-in-days", "30");
        assertThat(key.exitCode()).as(key.err()).isZero();
        String secret = key.json().path("key").asText();
        String keyId = key.json().path("id").asText();
        assertThat(secret).startsWith("tly_");
        assertThat(server.getWithKey("/v1/analytics/spend", secret).statusCode()).isEqualTo(200);

        Run list = tally("keys", "list", "--tenant", "cli-tenant");
        assertThat(list.exitCode()).isZero();
        assertThat(list.json().path("api_keys")).hasSize(1);
        assertThat(list.out()).doesNotContain(secret);

        Run revoke = tally("keys", "revoke", keyId);
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        assertThat(server.getWithKey("/v1/analytics/spend", secret).statusCode()).isEqualTo(401);

        Run tenants = tally("tenants", "list");
        assertThat(tenants.out()).contains("cli-tenant");
    }

    @Test
    void setsListsAndDeletesATenantsWebhookSecretWhichAVapiReportThenPasses() throws Exception {
        assertThat(tally("tenants", "create", "cli-vapi", "--name", "Vapi tenant").exitCode()).isZero();
        String statusUpdate = "{\"message\": {\"type\": \"status-update\", \"call\": {\"id\": \"c1\"}}}";
        assertThat(server.post("/v1/integrations/vapi/cli-vapi", statusUpdate, "X-Vapi-Secret", "cli-secret-1")
                .statusCode()).isEqualTo(401);

        Run set = tally("integrations", "set", "cli-vapi", "vapi", "--secret", "cli-secret-1");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.json().path("set").asBoolean()).isTrue();
        assertThat(server.post("/v1/integrations/vapi/cli-vapi", statusUpdate, "X-Vapi-Secret", "cli-secret-1")
                .statusCode()).isEqualTo(200);

        Run list = tally("integrations", "list", "cli-vapi");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).doesNotContain("cli-secret-1");
        assertThat(list.json().path("integrations").get(0).path("provider").asText()).isEqualTo("vapi");
        assertThat(list.json().path("integrations").get(0).path("set").asBoolean()).isTrue();

        Run deleted = tally("integrations", "delete", "cli-vapi", "vapi");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted the vapi secret of tenant cli-vapi");
        assertThat(server.post("/v1/integrations/vapi/cli-vapi", statusUpdate, "X-Vapi-Secret", "cli-secret-1")
                .statusCode()).isEqualTo(401);

        Run unknown = tally("integrations", "set", "cli-vapi", "bland", "--secret", "s");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("HTTP 400").contains("provider");
        Run again = tally("integrations", "delete", "cli-vapi", "vapi");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("HTTP 404");
    }

    @Test
    void anErrorAnswerExitsNonZeroAndShowsTheReason() {
        Run bad = tally("keys", "create", "--tenant", "no-such-tenant", "--name", "x", "--scope", "analytics:read");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("HTTP 400").contains("tenant_id");

        Run wrongToken = tallyWithToken("not-the-token", "tenants", "list");
        assertThat(wrongToken.exitCode()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("HTTP 401");
    }
}
