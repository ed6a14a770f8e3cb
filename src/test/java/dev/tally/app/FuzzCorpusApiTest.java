package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on every route: the routes, their parameters and their bodies' fields come from
 * the OpenAPI document (which {@code OpenApiDocumentTest} holds equal to the routes the server
 * registers), each crossed with values chosen to break parsers: numbers out of range, years of
 * nine digits, unpaired surrogates and invalid UTF-8, NUL, deep nesting, repeated keys, content
 * after the JSON, huge strings. Every answer must be below 500, every 4xx a JSON error with its
 * reason, and nothing may be stored: the raw tables, tenants and keys are the same after the corpus.
 */
class FuzzCorpusApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Query and path parameter values, already URL-encoded. */
    private static final List<String> PARAMETER_VALUES = List.of("1e400", "-1e400", "NaN", "-1",
            "99999999999999999999", "%2B999999999-01-01", "-999999999-12-31", "%2B999999999-01-01T00:00:00Z",
            "0001-01-01", "2026-02-30", "9999-12-31T23:59:59Z", "%00", "%ED%A0%80", "%FF%FE", "a%0Ab",
            "%27%20OR%201%3D1%20--", "..%2F..%2Fetc%2Fpasswd", "", "%20", "x".repeat(20_000), "%3D1%2B2", "csv%00",
            "0", "1001", "cost_desc%00", "COST_DESC");

    /** JSON values for one field of a body. */
    private static final List<String> FIELD_VALUES = List.of("1e400", "-1e400", "-1", "9300000000000000000",
            "1.5", "\"\\ud800\"", "\"a\\u0000b\"", "\"\\udc00x\"", "\"+999999999-01-01T00:00:00Z\"",
            "\"-999999999-01-01\"", "\"0001-01-01T00:00:00Z\"", "[]", "{}", "true", "null", "\"\"",
            "\"" + "y".repeat(100_000) + "\"", "[".repeat(2_000) + "]".repeat(2_000));

    /** Whole bodies. */
    private static final List<byte[]> BODIES = bodies();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static List<byte[]> bodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : List.of("", "null", "[]", "{}", "\"text\"", "1e400", "-1e400", "{\"a\":1e400}",
                "[".repeat(100_000) + "]".repeat(100_000), "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000),
                "{\"id\":\"x\",\"id\":\"y\"}", "[{\"id\":\"x\"}] trailing", "{} {}", "{\"\\ud800\":1}",
                "[{\"id\":\"t\",\"type\":\"llm\",\"time\":\"-292275055-05-16T16:47:04.192Z\",\"model\":\"m\"}]",
                "{\"" + "k".repeat(200_000) + "\":1}", "{\"a\":\"" + "v".repeat(500_000) + "\"}")) {
            bodies.add(text.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        bodies.add(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'});
        bodies.add(new byte[] {'[', '{', '"', 'i', 'd', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}', ']'});
        return bodies;
    }

    private record Case(String method, String path, String query, byte[] body, String contentType, String auth,
                        String what) {
    }

    @Test
    void noHostileInputIsA5xxOrStoresAnything() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.createTenant("acme", "Acme");
            String tenantKey = server.createKey("acme", "events:write", "analytics:read", "members:read");
            String platformKey = server.createKey(null, "events:write", "analytics:read", "super-admin");
            JsonNode document = MAPPER.readTree(server.get("/openapi.json").body());
            Map<String, String> before = stored(server);

            List<Case> cases = cases(document, tenantKey, platformKey);
            int clientErrors = 0;
            int successes = 0;
            List<String> serverErrors = new ArrayList<>();
            List<String> unexplained = new ArrayList<>();
            for (Case fuzz : cases) {
                HttpResponse<String> response;
                try {
                    response = send(server, fuzz);
                } catch (java.io.IOException noAnswer) {
                    serverErrors.add("no answer " + fuzz.what() + ": " + noAnswer.getMessage());
                    continue;
                }
                int status = response.statusCode();
                if (status >= 500) {
                    serverErrors.add(status + " " + fuzz.what() + ": " + abbreviated(response.body()));
                } else if (status >= 400) {
                    clientErrors++;
                    if (status != 405 && status != 414 && status != 431 && !explains(response.body())) {
                        unexplained.add(status + " " + fuzz.what() + ": " + abbreviated(response.body()));
                    }
                } else {
                    successes++;
                }
            }
            System.out.printf("fuzz corpus: %d hostile requests over %d operations: %d 4xx, %d 2xx/3xx"
                            + " (values a route may take, such as a filter matching nothing), %d 5xx%n",
                    cases.size(), operations(document), clientErrors, successes, serverErrors.size());
            assertThat(cases.size()).isGreaterThanOrEqualTo(500);
            assertThat(serverErrors).as("answers of 500 or more").isEmpty();
            assertThat(unexplained).as("4xx answers without a JSON reason").isEmpty();
            assertThat(stored(server)).as("what the store holds after the corpus").isEqualTo(before);
            assertThat(server.get("/api/v1/health").statusCode()).isEqualTo(200);
        }
    }

    /**
     * The fields of version 2 of the contract, each with an event that is valid without it: a
     * hostile value must reach the field's own check, so it is sent on an otherwise valid event.
     * The event's text up to the field, with {@code %s} for its id and {@code %t} for its time.
     */
    private static final Map<String, String> VERSION_TWO_FIELDS = versionTwoFields();

    /** Values at the contract's bounds and just beyond them, on top of {@link #FIELD_VALUES}. */
    private static final List<String> BOUND_VALUES = List.of("1000000", "1000000.000000001", "1000000000000",
            "1000000000001", "1000000000000.5", "0", "-0", "1e-30", "\"+44\"", "\"\\u0007\"", "\"a\\nb\"");

    private static Map<String, String> versionTwoFields() {
        String call = "{\"id\":\"%s\",\"type\":\"call\",\"time\":\"%t\",\"status\":\"in_progress\"";
        String fee = "{\"id\":\"%s\",\"type\":\"fee\",\"time\":\"%t\",\"cost_usd\":1";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("revision", "{\"id\":\"%s\",\"type\":\"chat\",\"time\":\"%t\"");
        fields.put("provider", call);
        fields.put("reported_total_cost_usd", call);
        fields.put("cost_usd", "{\"id\":\"%s\",\"type\":\"stt\",\"time\":\"%t\"");
        fields.put("segments", "{\"id\":\"%s\",\"type\":\"sms\",\"time\":\"%t\",\"direction\":\"inbound\",\"body\":\"hi\"");
        fields.put("kind", "{\"id\":\"%s\",\"type\":\"fee\",\"time\":\"%t\",\"cost_usd\":1");
        fields.put("quantity", fee + ",\"kind\":\"other\"");
        fields.put("unit", fee + ",\"kind\":\"other\"");
        fields.put("call_id", fee + ",\"kind\":\"other\"");
        return fields;
    }

    @Test
    void hostileValuesOfTheVersionTwoFieldsAreRefusedNamingTheFieldOrStored() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.createTenant("acme", "Acme");
            String key = server.createKey("acme", "events:write");
            String time = java.time.Instant.now().minusSeconds(3_600).toString();
            List<String> failures = new ArrayList<>();
            int refused = 0;
            int stored = 0;
            int sequence = 0;
            for (Map.Entry<String, String> field : VERSION_TWO_FIELDS.entrySet()) {
                List<String> values = new ArrayList<>(FIELD_VALUES);
                values.addAll(BOUND_VALUES);
                for (String value : values) {
                    String id = "v2-" + sequence++;
                    String json = field.getValue().replace("%s", id).replace("%t", time) + ",\"" + field.getKey()
                            + "\":" + value + "}";
                    Map<String, String> before = stored(server);
                    HttpResponse<String> response = send(server, new Case("POST", "/v1/events", "",
                            json.getBytes(StandardCharsets.UTF_8), "application/json", "Authorization:Bearer " + key,
                            field.getKey() + "=" + abbreviated(value)));
                    String what = field.getKey() + "=" + abbreviated(value) + ": " + response.statusCode() + " "
                            + abbreviated(response.body());
                    if (response.statusCode() == 200) {
                        stored++;
                        continue;
                    }
                    refused++;
                    String named = MAPPER.readTree(response.body()).path("field").asText();
                    if (response.statusCode() != 400 || !(named.equals(field.getKey()) || named.equals("body"))) {
                        failures.add(what);
                    }
                    if (!stored(server).equals(before)) {
                        failures.add("stored although refused: " + what);
                    }
                }
            }
            System.out.printf("version 2 fields: %d refused, %d stored%n", refused, stored);
            assertThat(failures).as("answers that are not a 400 naming the field (or the body)").isEmpty();
            assertThat(refused).as("most hostile values are refused").isGreaterThan(stored);
        }
    }

    /**
     * Hostile corrections of one stored event: every hostile value as its revision, corrections that
     * change its type, a thousand revisions of it in one batch in random order, and revisions of the
     * same id sent for another tenant. No answer is a 5xx; a refused one names {@code revision},
     * {@code type} or the body; every answered event says what happened to it; and in the end the
     * event is stored once, at the highest revision any answer accepted, of its own type, and the
     * other tenant's event is its own.
     */
    @Test
    void hostileCorrectionsAreAnsweredAndLeaveOneEventAtItsHighestRevision() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.createTenant("acme", "Acme");
            server.createTenant("globex", "Globex");
            String key = server.createKey("acme", "events:write");
            String platform = server.createKey(null, "events:write");
            String time = java.time.Instant.now().minusSeconds(3_600).toString();
            String chat = "{\"id\":\"fz-1\",\"type\":\"chat\",\"time\":\"" + time + "\",\"member_id\":\"m\"";
            List<String> bodies = new ArrayList<>();
            List<String> values = new ArrayList<>(FIELD_VALUES);
            values.addAll(BOUND_VALUES);
            values.addAll(List.of("5", "4", "6", "9223372036854775807", "-9223372036854775808", "1e3", "12.0"));
            for (String value : values) {
                bodies.add("[" + chat + ",\"revision\":" + value + "}]");
                bodies.add("[" + chat.replace("\"chat\"", "\"message\"") + ",\"revision\":" + value + "}]");
            }
            java.util.Random random = new java.util.Random(5);
            StringBuilder many = new StringBuilder("[");
            for (int index = 0; index < 1_000; index++) {
                many.append(index == 0 ? "" : ",").append(chat).append(",\"revision\":").append(random.nextInt(1_000))
                        .append("}");
            }
            bodies.add(many.append("]").toString());
            long highest = 0;
            List<String> failures = new ArrayList<>();
            server.ingest(key, "[" + chat + "}]");
            for (String body : bodies) {
                HttpResponse<String> response = send(server, new Case("POST", "/v1/events", "",
                        body.getBytes(StandardCharsets.UTF_8), "application/json", "Authorization:Bearer " + key,
                        abbreviated(body)));
                JsonNode answer = MAPPER.readTree(response.body());
                if (response.statusCode() == 400) {
                    if (!List.of("revision", "type", "body").contains(answer.path("field").asText())) {
                        failures.add(response.statusCode() + " " + abbreviated(response.body()));
                    }
                    continue;
                }
                if (response.statusCode() != 200) {
                    failures.add(response.statusCode() + " " + abbreviated(response.body()));
                    continue;
                }
                JsonNode events = MAPPER.readTree(body);
                int answered = answer.path("accepted").asInt() + answer.path("duplicates").asInt()
                        + answer.path("rejected").asInt();
                if (answered != events.size()) {
                    failures.add("answered " + answered + " of " + events.size() + ": " + abbreviated(response.body()));
                }
                java.util.Map<Integer, String> noted = new java.util.HashMap<>();
                answer.path("results").forEach(item -> noted.put(item.path("index").asInt(), item.path("status").asText()));
                for (int index = 0; index < events.size(); index++) {
                    // stored (no note) or updated: its revision is now the stored one, unless a higher one follows
                    if (!noted.containsKey(index) || noted.get(index).equals("updated")) {
                        highest = Math.max(highest, events.get(index).path("revision").asLong());
                    }
                }
            }
            // the same id for another tenant is another event
            server.ingest(platform, "[" + chat.replace("{", "{\"tenant_id\":\"globex\",") + ",\"revision\":3}]");
            assertThat(failures).as("answers that are a 5xx, name another field or count events wrongly").isEmpty();
            List<dev.tally.store.sql.Row> rows = server.tally().events().query(new SqlBuilder()
                    .append("SELECT tenant_id, type, revision FROM " + server.tally().events().rows(
                            dev.tally.store.sql.RawTable.EVENTS) + "id = 'fz-1' ORDER BY tenant_id").build());
            assertThat(rows).extracting(row -> row.string("tenant_id") + " " + row.string("type") + " "
                    + row.longValue("revision")).containsExactly("acme chat " + highest, "globex chat 3");
            assertThat(highest).as("the thousand revisions in one batch").isGreaterThan(990);
        }
    }

    /**
     * Hostile values in each field the Vapi receiver reads, on an otherwise valid end-of-call-report
     * (the fixture of {@code VapiReceiverApiTest}): no 5xx, a refusal is a 400 naming a field under
     * {@code message} (or the body), and a refused report stores nothing.
     */
    @Test
    void hostileVapiReportsAreRefusedNamingTheirFieldOrStored() throws Exception {
        List<String> paths = List.of("message.type", "message.startedAt", "message.endedAt", "message.endedReason",
                "message.cost", "message.costs", "message.costBreakdown", "message.analysis",
                "message.phoneNumber", "message.call", "message.call.id", "message.call.assistantId",
                "message.call.type", "message.costs.0.type", "message.costs.0.cost", "message.costs.2.promptTokens",
                "message.costs.2.model", "message.costs.3.characters", "message.costs.4.minutes",
                "message.costs.5.analysisType");
        try (TestServer server = TestServer.start()) {
            server.createTenant("acme", "Acme");
            String key = server.createKey("acme", "events:write");
            List<String> failures = hostileReceiverPayloads(server, "/v1/integrations/vapi/acme",
                    "/dev/tally/integrations/vapi/end-of-call-report.json", paths, List.of("message"),
                    (report, sequence) -> ((com.fasterxml.jackson.databind.node.ObjectNode) report.path("message")
                            .path("call")).put("id", "fuzz-vapi-" + sequence),
                    body -> "Authorization:Bearer " + key);
            assertThat(failures).as("answers that are not a 400 naming a field of the report").isEmpty();
        }
    }

    /**
     * Hostile values in each parameter the Twilio receivers read, on an otherwise valid callback signed
     * with the tenant's token (the fixtures of {@code TwilioReceiverApiTest}), hostile {@code agent_id}
     * queries, and whole bodies that are no form or no callback: no 5xx, a refused hostile parameter is
     * a 400 naming it (or the body), and a refused callback stores nothing.
     */
    @Test
    void hostileTwilioCallbacksAreRefusedNamingTheirParameterOrStored() throws Exception {
        String token = "twilio-fuzz-token";
        Map<String, List<String>> read = new LinkedHashMap<>();
        read.put("message-delivered-priced.form", List.of("MessageSid", "MessageStatus", "Direction", "From", "To",
                "NumSegments", "Price", "PriceUnit", "ErrorCode", "Body"));
        read.put("call-completed-priced.form", List.of("CallSid", "CallStatus", "CallDuration", "Timestamp", "Direction",
                "From", "To", "Price", "PriceUnit", "ParentCallSid"));
        List<String> values = new ArrayList<>(PARAMETER_VALUES);
        values.addAll(List.of("-1e400", "%2B1", "-0.0079", "-999999999999.999999999999", "%E2%82%AC", "%", "%G0",
                "a%3Db", "%26", "Sun%2C+15+Mar+2026+25%3A00%3A00+%2B0000", "Sun%2C+15+Mar+1998+10%3A00%3A00+%2B0000"));
        try (TestServer server = TestServer.start(java.time.Clock.fixed(java.time.Instant.parse("2026-03-15T12:00:00Z"),
                java.time.ZoneOffset.UTC))) {
            server.createTenant("acme", "Acme");
            assertThat(server.send("PUT", "/admin/tenants/acme/integrations/twilio", "{\"secret\": \"" + token + "\"}",
                    "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            List<String> failures = new ArrayList<>();
            int sequence = 0;
            int refused = 0;
            int answered = 0;
            for (Map.Entry<String, List<String>> fixture : read.entrySet()) {
                String route = fixture.getKey().startsWith("message") ? "/v1/integrations/twilio/acme/sms"
                        : "/v1/integrations/twilio/acme/voice";
                String sidName = fixture.getKey().startsWith("message") ? "MessageSid" : "CallSid";
                String valid = dev.tally.integrations.twilio.TwilioSigner.fixture(fixture.getKey());
                List<String[]> cases = new ArrayList<>();
                for (String parameter : fixture.getValue()) {
                    for (String value : values) {
                        String body = withParameter(withParameter(valid, sidName, "fz" + sequence++), parameter, value);
                        cases.add(new String[] {route, body, parameter, parameter + "=" + abbreviated(value)});
                    }
                }
                // in a URI only well-formed escapes can be sent at all
                for (String value : PARAMETER_VALUES) {
                    cases.add(new String[] {route + "?agent_id=" + value, withParameter(valid, sidName, "fz" + sequence++),
                            "agent_id", "agent_id=" + abbreviated(value)});
                }
                for (byte[] body : BODIES) {
                    cases.add(new String[] {route, new String(body, StandardCharsets.UTF_8), null,
                            "body " + abbreviated(new String(body, StandardCharsets.UTF_8))});
                }
                for (String[] fuzz : cases) {
                    String signature;
                    try {
                        signature = dev.tally.integrations.twilio.TwilioSigner.sign(token, server.url(fuzz[0]), fuzz[1]);
                    } catch (dev.tally.error.Rejection notAForm) {
                        signature = "not-signable";
                    }
                    Map<String, String> before = stored(server);
                    HttpResponse<String> response = server.post(fuzz[0], fuzz[1], "Content-Type",
                            "application/x-www-form-urlencoded", "X-Twilio-Signature", signature);
                    String what = fuzz[3] + ": " + response.statusCode() + " " + abbreviated(response.body());
                    if (response.statusCode() == 200) {
                        answered++;
                        continue;
                    }
                    refused++;
                    String named = MAPPER.readTree(response.body()).path("field").asText();
                    boolean namesIt = fuzz[2] == null ? !named.isBlank() : named.equals(fuzz[2]) || named.equals("body");
                    if (response.statusCode() != 400 || !namesIt) {
                        failures.add(what);
                    }
                    if (!stored(server).equals(before)) {
                        failures.add("stored although refused: " + what);
                    }
                }
            }
            for (String contentType : List.of("application/json", "text/plain", "multipart/form-data; boundary=x")) {
                HttpResponse<String> response = server.post("/v1/integrations/twilio/acme/sms", "MessageSid=SM1",
                        "Content-Type", contentType, "X-Twilio-Signature", "x");
                if (response.statusCode() != 415 || !explains(response.body())) {
                    failures.add(contentType + ": " + response.statusCode() + " " + abbreviated(response.body()));
                }
            }
            System.out.printf("twilio callbacks: %d refused, %d answered 200%n", refused, answered);
            assertThat(failures).as("answers that are not a 200 or a 400 naming the Twilio parameter").isEmpty();
            assertThat(refused).as("hostile values are refused").isGreaterThan(100);
            assertThat(answered).as("values a callback may carry (an unknown direction, a long body) are stored")
                    .isGreaterThan(100);
        }
    }

    /** The form body with the parameter set to the (already encoded) value, replacing the fixture's or added. */
    private static String withParameter(String form, String name, String value) {
        List<String> pairs = new ArrayList<>(List.of(form.split("&")));
        boolean present = pairs.stream().anyMatch(pair -> pair.startsWith(name + "="));
        pairs.replaceAll(pair -> pair.startsWith(name + "=") ? name + "=" + value : pair);
        return present ? String.join("&", pairs) : form + "&" + name + "=" + value;
    }

    private static int operations(JsonNode document) {
        int count = 0;
        for (JsonNode path : document.path("paths")) {
            for (Iterator<String> methods = path.fieldNames(); methods.hasNext(); ) {
                count += isMethod(methods.next()) ? 1 : 0;
            }
        }
        return count;
    }

    private static boolean isMethod(String name) {
        return List.of("get", "post", "put", "patch", "delete").contains(name);
    }

    private static List<Case> cases(JsonNode document, String tenantKey, String platformKey) {
        List<Case> cases = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                if (!isMethod(operation.getKey())) {
                    continue;
                }
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                String auth = auth(operation.getValue(), path.getKey(), tenantKey, platformKey);
                List<JsonNode> parameters = new ArrayList<>();
                operation.getValue().path("parameters").forEach(parameter -> parameters.add(resolve(document, parameter)));
                Map<String, String> pathValues = new LinkedHashMap<>();
                List<String> queryNames = new ArrayList<>();
                for (JsonNode parameter : parameters) {
                    String name = parameter.path("name").asText();
                    if (parameter.path("in").asText().equals("path")) {
                        pathValues.put(name, validPathValue(name));
                    } else if (parameter.path("in").asText().equals("query")) {
                        queryNames.add(name);
                    }
                }
                String validPath = fill(path.getKey(), pathValues);
                JsonNode body = operation.getValue().path("requestBody").path("content");
                String contentType = body.has("application/json") ? "application/json" : null;
                byte[] emptyBody = contentType == null ? null : "{}".getBytes(StandardCharsets.UTF_8);
                for (String name : pathValues.keySet()) {
                    for (String value : PARAMETER_VALUES) {
                        if (value.isEmpty()) {
                            continue;
                        }
                        Map<String, String> hostile = new LinkedHashMap<>(pathValues);
                        hostile.put(name, value);
                        cases.add(new Case(method, fill(path.getKey(), hostile), "", emptyBody, contentType, auth,
                                method + " " + path.getKey() + " path " + name + "=" + abbreviated(value)));
                    }
                }
                for (String name : queryNames) {
                    for (String value : PARAMETER_VALUES) {
                        cases.add(new Case(method, validPath, name + "=" + value, emptyBody, contentType, auth,
                                method + " " + path.getKey() + " ?" + name + "=" + abbreviated(value)));
                    }
                }
                if (contentType == null) {
                    continue;
                }
                for (byte[] hostileBody : BODIES) {
                    cases.add(new Case(method, validPath, "", hostileBody, contentType, auth,
                            method + " " + path.getKey() + " body " + abbreviated(new String(hostileBody,
                                    StandardCharsets.UTF_8))));
                }
                JsonNode schema = resolve(document, body.path("application/json").path("schema"));
                if (schema.path("type").asText().equals("array")) {
                    schema = resolve(document, schema.path("items"));
                }
                for (Iterator<String> fields = schema.path("properties").fieldNames(); fields.hasNext(); ) {
                    String field = fields.next();
                    for (String value : FIELD_VALUES) {
                        String json = "{\"" + field + "\":" + value + "}";
                        cases.add(new Case(method, validPath, "", json.getBytes(StandardCharsets.UTF_8), contentType,
                                auth, method + " " + path.getKey() + " " + field + "=" + abbreviated(value)));
                    }
                }
            }
        }
        return cases;
    }

    private static String auth(JsonNode operation, String path, String tenantKey, String platformKey) {
        for (JsonNode requirement : operation.path("security")) {
            if (requirement.has("adminToken")) {
                return "X-Admin-Token:" + TestServer.ADMIN_TOKEN;
            }
            if (requirement.has("basicAuth")) {
                return "Authorization:Basic " + Base64.getEncoder().encodeToString(("api:" + tenantKey)
                        .getBytes(StandardCharsets.UTF_8));
            }
            if (requirement.has("bearerAuth")) {
                return "Authorization:Bearer " + (path.startsWith("/admin/analytics") ? platformKey : tenantKey);
            }
        }
        return null;
    }

    private static String validPathValue(String name) {
        return switch (name) {
            case "workspace_id", "tenant_id", "id" -> "acme";
            case "member_id" -> "m1";
            case "call_id" -> "fuzz-call";
            // a known provider, so a hostile body reaches the secret's own checks
            case "provider" -> "vapi";
            default -> "x";
        };
    }

    private static String fill(String template, Map<String, String> values) {
        String path = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return path;
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref")) {
            String[] parts = resolved.path("$ref").asText().substring(2).split("/");
            JsonNode target = document;
            for (String part : parts) {
                target = target.path(part);
            }
            resolved = target;
        }
        return resolved;
    }

    /**
     * Hostile values in each field of an OTLP trace export that the receiver reads (the JSON fixture of
     * {@code OtlpReceiverApiTest}), and hostile protobuf and gzip bodies: no 5xx; a refused export is a
     * 4xx naming a field of the export (or the body) and stores nothing; a span the receiver cannot use
     * is named in a 200's partialSuccess.
     */
    @Test
    void hostileOtlpExportsAreRefusedNamingTheirFieldOrStoredInPart() throws Exception {
        String span = "resourceSpans.0.scopeSpans.0.spans.1.";
        List<String> paths = List.of("resourceSpans", "resourceSpans.0.resource", "resourceSpans.0.scopeSpans",
                "resourceSpans.0.scopeSpans.0.spans", span + "traceId", span + "spanId", span + "parentSpanId",
                span + "startTimeUnixNano", span + "endTimeUnixNano", span + "kind", span + "status",
                span + "status.code", span + "status.message", span + "attributes", span + "attributes.3",
                span + "attributes.3.key", span + "attributes.3.value", span + "attributes.4.value.intValue",
                span + "attributes.8.value.stringValue");
        try (TestServer server = TestServer.start(java.time.Clock.fixed(java.time.Instant.parse("2026-03-15T12:00:00Z"),
                java.time.ZoneOffset.UTC))) {
            server.createTenant("acme", "Acme");
            String auth = "Authorization:Bearer " + server.createKey("acme", "events:write");
            String fixture;
            try (java.io.InputStream input = FuzzCorpusApiTest.class.getResourceAsStream(
                    "/dev/tally/integrations/otlp/traces.json")) {
                fixture = new String(input.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<Case> cases = new ArrayList<>();
            for (String path : paths) {
                for (String value : FIELD_VALUES) {
                    JsonNode export = MAPPER.readTree(fixture);
                    String[] steps = path.split("\\.");
                    JsonNode parent = export;
                    for (int step = 0; step < steps.length - 1; step++) {
                        parent = parent.isArray() ? parent.get(Integer.parseInt(steps[step])) : parent.get(steps[step]);
                    }
                    String last = steps[steps.length - 1];
                    if (parent.isArray()) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last),
                                com.fasterxml.jackson.databind.node.TextNode.valueOf("__fuzz__"));
                    } else {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) parent).put(last, "__fuzz__");
                    }
                    cases.add(new Case("POST", "/v1/otlp/v1/traces", "", export.toString().replace("\"__fuzz__\"", value)
                            .getBytes(StandardCharsets.UTF_8), "application/json", auth, path + "=" + abbreviated(value)));
                }
            }
            byte[] valid = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().addScopeSpans(
                            io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(
                                    io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                            .setTraceId(com.google.protobuf.ByteString.fromHex("0102030405060708090a0b0c0d0e0f10"))
                                            .setSpanId(com.google.protobuf.ByteString.fromHex("0102030405060708"))
                                            .setStartTimeUnixNano(-1L).setEndTimeUnixNano(1L)
                                            .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                                                    .setKey("gen_ai.usage.input_tokens").setValue(
                                                            io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                                                                    .setDoubleValue(Double.NaN))))))
                    .build().toByteArray();
            java.util.Random random = new java.util.Random(15);
            List<byte[]> protobufBodies = new ArrayList<>(List.of(valid, java.util.Arrays.copyOf(valid, valid.length / 2),
                    new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, nestedValues(200)));
            for (int index = 0; index < 40; index++) {
                byte[] noise = new byte[random.nextInt(300)];
                random.nextBytes(noise);
                protobufBodies.add(noise);
            }
            protobufBodies.addAll(BODIES);
            for (byte[] body : protobufBodies) {
                cases.add(new Case("POST", "/v1/otlp/v1/traces", "", body, "application/x-protobuf", auth,
                        "protobuf " + body.length + " bytes"));
            }
            java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bomb)) {
                gzip.write(new byte[64 * 1024 * 1024]);
            }
            List<String> failures = new ArrayList<>();
            for (Case fuzz : cases) {
                Map<String, String> before = stored(server);
                HttpResponse<String> response = send(server, fuzz);
                String what = fuzz.what() + ": " + response.statusCode() + " " + abbreviated(response.body());
                if (response.statusCode() == 200) {
                    continue;
                }
                String named = MAPPER.readTree(response.body()).path("field").asText();
                if (response.statusCode() >= 500 || response.statusCode() < 400
                        || !(named.startsWith("resourceSpans") || named.equals("body"))) {
                    failures.add(what);
                }
                if (!stored(server).equals(before)) {
                    failures.add("stored although refused: " + what);
                }
            }
            HttpRequest zipped = HttpRequest.newBuilder(URI.create(server.url("/v1/otlp/v1/traces")))
                    .header("Authorization", auth.substring(auth.indexOf(':') + 1))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bomb.toByteArray())).build();
            HttpResponse<String> inflated = http.send(zipped, HttpResponse.BodyHandlers.ofString());
            assertThat(inflated.statusCode()).as("a gzip bomb: " + inflated.body()).isEqualTo(413);
            assertThat(failures).as("answers that are not a 200 or a 4xx naming a field of the export").isEmpty();
        }
    }

    /**
     * Hostile values in each field the Retell receiver reads, on an otherwise valid call_analyzed
     * webhook (the fixture of {@code RetellReceiverApiTest}), each body signed with the tenant's API
     * key so it reaches the receiver: no 5xx, a refusal is a 400 naming a field under {@code call}
     * (or {@code event}, or the body), and a refused webhook stores nothing.
     */
    @Test
    void hostileRetellWebhooksAreRefusedNamingTheirFieldOrStored() throws Exception {
        String products = "call.call_cost.product_costs";
        List<String> paths = List.of("event", "call", "call.call_id", "call.agent_id", "call.start_timestamp",
                "call.end_timestamp", "call.duration_ms", "call.disconnection_reason", "call.call_status",
                "call.direction", "call.from_number", "call.to_number", "call.metadata", "call.metadata.campaign",
                "call.call_analysis", "call.call_analysis.user_sentiment", "call.call_cost",
                "call.call_cost.combined_cost", products, products + ".0", products + ".0.product",
                products + ".0.cost", products + ".2.cost");
        try (TestServer server = TestServer.start()) {
            server.createTenant("acme", "Acme");
            String apiKey = "key_retell_fuzz";
            assertThat(server.send("PUT", "/admin/tenants/acme/integrations/retell", "{\"secret\": \"" + apiKey + "\"}",
                    "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            List<String> failures = hostileReceiverPayloads(server, "/v1/integrations/retell/acme",
                    "/dev/tally/integrations/retell/call-analyzed.json", paths, List.of("call", "event"),
                    (webhook, sequence) -> ((com.fasterxml.jackson.databind.node.ObjectNode) webhook.path("call"))
                            .put("call_id", "fuzz-retell-" + sequence),
                    body -> "x-retell-signature:" + dev.tally.integrations.retell.RetellWebhooks.signature(body, apiKey,
                            server.tally().clock().millis()));
            assertThat(failures).as("answers that are not a 400 naming a field of the webhook").isEmpty();
        }
    }

    /**
     * Each hostile value at each path (dot-separated, array indexes as numbers) of a receiver's JSON
     * fixture, given its own call id, posted with the credential made for its body: the answers that
     * are neither a 200 nor a 400 naming the body or a field under one of the prefixes, and the
     * refusals that stored something.
     */
    private List<String> hostileReceiverPayloads(TestServer server, String route, String fixturePath,
            List<String> paths, List<String> fieldPrefixes,
            java.util.function.ObjIntConsumer<com.fasterxml.jackson.databind.node.ObjectNode> identify,
            java.util.function.UnaryOperator<String> authFor) throws Exception {
        String fixture;
        try (java.io.InputStream input = FuzzCorpusApiTest.class.getResourceAsStream(fixturePath)) {
            fixture = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> failures = new ArrayList<>();
        int sequence = 0;
        for (String path : paths) {
            List<String> values = new ArrayList<>(FIELD_VALUES);
            values.addAll(BOUND_VALUES);
            for (String value : values) {
                com.fasterxml.jackson.databind.node.ObjectNode payload =
                        (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(fixture);
                identify.accept(payload, sequence++);
                String[] steps = path.split("\\.");
                JsonNode parent = payload;
                for (int step = 0; step < steps.length - 1; step++) {
                    parent = parent.isArray() ? parent.get(Integer.parseInt(steps[step])) : parent.get(steps[step]);
                }
                String last = steps[steps.length - 1];
                if (parent instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
                    array.set(Integer.parseInt(last), "__fuzz__");
                } else {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) parent).put(last, "__fuzz__");
                }
                String body = payload.toString().replace("\"__fuzz__\"", value);
                Map<String, String> before = stored(server);
                HttpResponse<String> response = send(server, new Case("POST", route, "",
                        body.getBytes(StandardCharsets.UTF_8), "application/json", authFor.apply(body),
                        path + "=" + abbreviated(value)));
                String what = path + "=" + abbreviated(value) + ": " + response.statusCode() + " "
                        + abbreviated(response.body());
                if (response.statusCode() == 200) {
                    continue;
                }
                String named = MAPPER.readTree(response.body()).path("field").asText();
                if (response.statusCode() != 400
                        || !(named.equals("body") || fieldPrefixes.stream().anyMatch(named::startsWith))) {
                    failures.add(what);
                }
                if (!stored(server).equals(before)) {
                    failures.add("stored although refused: " + what);
                }
            }
        }
        return failures;
    }

    /** An attribute value nested {@code depth} arrays deep: past protobuf's recursion limit. */
    private static byte[] nestedValues(int depth) {
        io.opentelemetry.proto.common.v1.AnyValue value = io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                .setIntValue(1).build();
        for (int level = 0; level < depth; level++) {
            value = io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setArrayValue(
                    io.opentelemetry.proto.common.v1.ArrayValue.newBuilder().addValues(value)).build();
        }
        return io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder().addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().setResource(
                        io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(
                                io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("deep").setValue(value))))
                .build().toByteArray();
    }

    private HttpResponse<String> send(TestServer server, Case fuzz) throws Exception {
        String uri = server.url(fuzz.path()) + (fuzz.query().isEmpty() ? "" : "?" + fuzz.query());
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException notAUri) {
            throw new AssertionError("the corpus made an invalid URI: " + uri, notAUri);
        }
        if (fuzz.auth() != null) {
            int colon = fuzz.auth().indexOf(':');
            request.header(fuzz.auth().substring(0, colon), fuzz.auth().substring(colon + 1));
        }
        if (fuzz.contentType() != null) {
            request.header("Content-Type", fuzz.contentType());
        }
        HttpRequest.BodyPublisher body = fuzz.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(fuzz.body());
        return http.send(request.method(fuzz.method(), body).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON error with a reason, in any of the envelopes the mirrored products use. */
    private static boolean explains(String body) {
        try {
            JsonNode error = MAPPER.readTree(body);
            return !error.path("reason").asText().isBlank() || !error.path("detail").asText().isBlank()
                    || !error.path("message").asText().isBlank() || !error.path("error").asText().isBlank();
        } catch (java.io.IOException notJson) {
            return false;
        }
    }

    private static Map<String, String> stored(TestServer server) {
        Map<String, String> counts = new LinkedHashMap<>();
        for (String table : new String[] {"events", "calls"}) {
            counts.put(table, server.tally().events().query(new SqlBuilder().append("SELECT count(*) AS n FROM "
                    + table).build()).get(0).string("n"));
        }
        // PATCH may rename the one tenant (a long name is a name) and PUT set its one Vapi secret (text is a
        // secret), so webhook secrets are not counted; nothing may add a tenant, key or price
        counts.put("tenants", String.valueOf(TestServer.json(server.get("/admin/tenants", "X-Admin-Token",
                TestServer.ADMIN_TOKEN)).path("tenants").size()));
        counts.put("keys", String.valueOf(TestServer.json(server.get("/admin/api-keys", "X-Admin-Token",
                TestServer.ADMIN_TOKEN)).path("api_keys").size()));
        counts.put("prices", String.valueOf(TestServer.json(server.get("/admin/prices?tenant_id=acme",
                "X-Admin-Token", TestServer.ADMIN_TOKEN)).path("prices").size()));
        return counts;
    }

    private static String abbreviated(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…(" + text.length() + ")" : text;
    }
}
