package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.sql.Row;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ClickHouse's HTTP interface, the small part Tally needs: statements, queries answered in
 * {@code FORMAT JSON}, and inserts of {@code JSONEachRow} bodies. Our own client rather than the
 * official one because that one cannot talk to the older servers (18.x) still in distributions.
 *
 * <p>Endpoints are tried in turn: a connection failure moves to the next one and the next request
 * starts from the endpoint that answered last. An error answer from a server (bad SQL, a shard
 * down behind a Distributed table) is not retried elsewhere: it is the caller's to handle.
 */
final class ClickHouseHttp {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseHttp.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
    /** An export of a long range is written whole by the server before its first byte is sent. */
    private static final Duration EXPORT_TIMEOUT = Duration.ofHours(2);
    /**
     * For the statements that bring a database of an earlier release up to date when it opens: on
     * 100M events one copies or groups every row, which takes minutes, more on a loaded machine.
     */
    private static final Duration UPGRADE_TIMEOUT = Duration.ofHours(6);

    private final List<URI> endpoints;
    private final Map<String, String> settings;
    private final HttpClient http;
    private final AtomicInteger preferred = new AtomicInteger();
    private final dev.tally.store.StoreMeters meters = new dev.tally.store.StoreMeters("clickhouse");

    /**
     * @param settings sent with every request as URL parameters ({@code database}, {@code insert_distributed_sync}, …)
     */
    ClickHouseHttp(List<URI> endpoints, Map<String, String> settings) {
        this.endpoints = List.copyOf(endpoints);
        this.settings = new LinkedHashMap<>(settings);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    List<URI> endpoints() {
        return endpoints;
    }

    /** What this store measures; every round trip through here is timed. */
    dev.tally.store.StoreMeters meters() {
        return meters;
    }

    /** Runs a statement that returns nothing (DDL) on whichever endpoint answers. */
    void execute(String statement) {
        send(null, statement, Map.of());
    }

    /** As {@link #execute}, for a statement over every stored row that an upgrade runs once: no five-minute limit. */
    void executeUpgrade(String statement) {
        send(null, statement, Map.of(), null, UPGRADE_TIMEOUT);
    }

    /** Runs a statement on one given endpoint: schema changes that must reach every node. */
    void executeOn(URI endpoint, String statement) {
        try {
            post(endpoint, utf8(statement), Map.of(), null, REQUEST_TIMEOUT);
        } catch (Unreachable unreachable) {
            throw new ClickHouseException(endpoint.getHost() + ":" + endpoint.getPort() + " is unreachable: "
                    + unreachable.cause, unreachable.cause);
        }
    }

    /** As {@link #query(String)}, on one given endpoint: what one node holds of its own tables. */
    List<Row> queryOn(URI endpoint, String select) {
        long started = System.nanoTime();
        try {
            return logged(select, started, post(endpoint, utf8(select + "\nFORMAT JSON"), Map.of(), null, REQUEST_TIMEOUT));
        } catch (Unreachable unreachable) {
            throw new ClickHouseException(endpoint.getHost() + ":" + endpoint.getPort() + " is unreachable: "
                    + unreachable.cause, unreachable.cause);
        }
    }

    /** Runs a SELECT and returns its rows, values typed from the answer's column types. */
    List<Row> query(String select) {
        long started = System.nanoTime();
        return logged(select, started, send(null, select + "\nFORMAT JSON", Map.of()));
    }

    /**
     * Runs a SELECT whose answer may be long and is read as {@code TabSeparated}: a third of the
     * bytes of {@code FORMAT JSON} and no tree to build, for the hour states a report reads first.
     * Values are the text ClickHouse writes, escapes undone.
     */
    List<String[]> queryTabSeparated(String select) {
        long started = System.nanoTime();
        return tabSeparated(select, started, send(null, select + "\nFORMAT TabSeparated", Map.of()));
    }

    /** As {@link #queryTabSeparated(String)}, on one given endpoint: a read of the per-shard tables there. */
    List<String[]> queryTabSeparatedOn(URI endpoint, String select) {
        long started = System.nanoTime();
        try {
            return tabSeparated(select, started, post(endpoint, utf8(select + "\nFORMAT TabSeparated"), Map.of(), null,
                    REQUEST_TIMEOUT));
        } catch (Unreachable unreachable) {
            throw new ClickHouseException(endpoint.getHost() + ":" + endpoint.getPort() + " is unreachable: "
                    + unreachable.cause, unreachable.cause);
        }
    }

    private List<String[]> tabSeparated(String select, long started, String answer) {
        List<String[]> rows = new ArrayList<>();
        int start = 0;
        while (start < answer.length()) {
            int end = answer.indexOf('\n', start);
            if (end < 0) {
                end = answer.length();
            }
            String[] fields = answer.substring(start, end).split("\t", -1);
            for (int index = 0; index < fields.length; index++) {
                if (fields[index].indexOf('\\') >= 0) {
                    fields[index] = unescape(fields[index]);
                }
            }
            rows.add(fields);
            start = end + 1;
        }
        LOG.atDebug().addKeyValue("round_trip_ms", (System.nanoTime() - started) / 1_000_000)
                .addKeyValue("rows", rows.size()).log("clickhouse query {}", abbreviate(select));
        return rows;
    }

    private static String unescape(String field) {
        StringBuilder text = new StringBuilder(field.length());
        for (int index = 0; index < field.length(); index++) {
            char character = field.charAt(index);
            if (character != '\\' || index + 1 == field.length()) {
                text.append(character);
                continue;
            }
            char escaped = field.charAt(++index);
            text.append(switch (escaped) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case '0' -> '\0';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> escaped;
            });
        }
        return text.toString();
    }

    /**
     * The answer's rows; at debug level (logger {@code dev.tally.store.clickhouse.ClickHouseHttp})
     * also each query's round trip beside the server's own time and rows read, the figures that say
     * whether a slow report waits on ClickHouse or on the way there.
     */
    private static List<Row> logged(String select, long startedNanos, String answer) {
        List<Row> rows = rows(answer);
        if (LOG.isDebugEnabled()) {
            JsonNode statistics;
            try {
                statistics = MAPPER.readTree(answer).path("statistics");
            } catch (IOException notJson) {
                statistics = MAPPER.createObjectNode();
            }
            LOG.atDebug().addKeyValue("round_trip_ms", (System.nanoTime() - startedNanos) / 1_000_000)
                    .addKeyValue("server_ms", Math.round(statistics.path("elapsed").asDouble() * 1000))
                    .addKeyValue("rows_read", statistics.path("rows_read").asLong())
                    .addKeyValue("sql_chars", select.length())
                    .log("clickhouse query {}", abbreviate(select));
        }
        return rows;
    }

    /**
     * Runs a SELECT that reads a table sent with it ({@code FROM name}, or {@code IN (SELECT … FROM
     * name)}): ClickHouse's external data, which it also forwards to the shards of a distributed
     * query. A batch's keys travel as data, not as literals in the query text, whose parsing cost
     * grows with every value and is paid again on each shard.
     *
     * @param structure the table's columns, e.g. {@code tenant_id String, id String}
     * @param jsonEachRow its rows, newline-separated JSON objects
     */
    List<Row> query(String select, String name, String structure, String jsonEachRow) {
        String boundary = "tally-" + Long.toHexString(System.nanoTime());
        while (jsonEachRow.contains(boundary)) {
            // an id may hold any text, this one too: a boundary inside the data would cut it short
            boundary = "tally-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        }
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + jsonEachRow + "\r\n--" + boundary + "--\r\n";
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(name + "_structure", structure);
        parameters.put(name + "_format", "JSONEachRow");
        long started = System.nanoTime();
        return logged(select, started,
                send(select + "\nFORMAT JSON", body, parameters, "multipart/form-data; boundary=" + boundary));
    }

    /**
     * Runs a SELECT of one {@code Int64} column and hands each value to {@code each} as it arrives,
     * read as {@code RowBinary}: eight bytes a value, never the whole answer in memory (every
     * stored id's hash, loaded at start, is 800 MB at 100M events as text). The server holds the
     * answer until the query has ended ({@code wait_end_of_query}), so a failure is an HTTP error,
     * never an error text appended to values already sent and read as more values.
     */
    void queryLongs(String select, LongConsumer each) {
        queryRowBinary(select, body -> {
            byte[] value = new byte[Long.BYTES];
            ByteBuffer littleEndian = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
            int read;
            while ((read = body.readNBytes(value, 0, Long.BYTES)) == Long.BYTES) {
                each.accept(littleEndian.getLong(0));
            }
            if (read != 0) {
                throw new IOException("answer cut short after a partial value");
            }
        });
    }

    /** Reads a RowBinary answer as it arrives; an {@link IOException} of the reader is the answer breaking off. */
    private interface RowBinaryReader {
        void read(InputStream body) throws IOException;
    }

    /**
     * Runs a SELECT answered as {@code RowBinary}, held by the server until the query has ended
     * ({@code wait_end_of_query}), so a failure is an HTTP error before any row, and hands the
     * answer to {@code reader} as it arrives.
     */
    private void queryRowBinary(String select, RowBinaryReader reader) {
        Map<String, String> parameters = Map.of("query", select + "\nFORMAT RowBinary", "wait_end_of_query", "1");
        onAnEndpoint(endpoint -> {
            HttpResponse<InputStream> response = streamed(endpoint, parameters, REQUEST_TIMEOUT);
            try (InputStream body = new BufferedInputStream(response.body(), 1 << 16)) {
                if (response.statusCode() != 200) {
                    throw new ClickHouseException("HTTP " + response.statusCode() + " from " + endpoint.getHost() + ":"
                            + endpoint.getPort() + ": " + new String(body.readAllBytes(), StandardCharsets.UTF_8).strip());
                }
                reader.read(body);
            } catch (IOException failure) {
                // rows were already handed on: another endpoint must not hand them on again
                throw new ClickHouseException("answer from " + endpoint.getHost() + ":" + endpoint.getPort()
                        + " broke off: " + failure, failure);
            }
            return null;
        });
    }

    /**
     * Runs a SELECT of two {@code String} columns and hands each row to {@code each} as it arrives,
     * read as {@code RowBinary} (a varint length before each value's UTF-8 bytes), never the whole
     * answer in memory.
     */
    void queryStringPairs(String select, BiConsumer<String, String> each) {
        queryRowBinary(select, body -> {
            String first;
            while ((first = binaryString(body, true)) != null) {
                each.accept(first, binaryString(body, false));
            }
        });
    }

    /** One RowBinary string; null at the end of the answer when {@code mayEnd}, else an end is a cut. */
    private static String binaryString(InputStream body, boolean mayEnd) throws IOException {
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            int next = body.read();
            if (next < 0) {
                if (mayEnd && shift == 0) {
                    return null;
                }
                throw new IOException("answer cut short inside a row");
            }
            length |= (long) (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                break;
            }
            if (shift > 28) {
                throw new IOException("a string longer than any stored one");
            }
        }
        byte[] bytes = body.readNBytes((int) length);
        if (bytes.length != length) {
            throw new IOException("answer cut short inside a string");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Runs a SELECT that names its output format and copies the answer to {@code out} as it
     * arrives. The server holds the answer until the query has ended ({@code wait_end_of_query},
     * spilling to its disk), so a failure is an HTTP error before any byte, never an error text in
     * the middle of the rows; 64-bit integers are written as numbers, as DuckDB writes them.
     */
    void copyTo(String selectWithFormat, OutputStream out) throws IOException {
        Map<String, String> parameters = Map.of("query", selectWithFormat, "wait_end_of_query", "1",
                "output_format_json_quote_64bit_integers", "0");
        IOException[] written = new IOException[1];
        onAnEndpoint(endpoint -> {
            HttpResponse<InputStream> response = streamed(endpoint, parameters, EXPORT_TIMEOUT);
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new ClickHouseException("HTTP " + response.statusCode() + " from " + endpoint.getHost() + ":"
                            + endpoint.getPort() + ": " + new String(body.readAllBytes(), StandardCharsets.UTF_8).strip());
                }
                body.transferTo(out);
            } catch (IOException failure) {
                // bytes may be out already: no other endpoint may start the answer again
                written[0] = failure;
            }
            return null;
        });
        if (written[0] != null) {
            throw written[0];
        }
    }

    /** Sends a query whose answer is read as it arrives; an endpoint that cannot be reached is {@link Unreachable}. */
    private HttpResponse<InputStream> streamed(URI endpoint, Map<String, String> parameters, Duration timeout) {
        try {
            return http.send(HttpRequest.newBuilder(url(endpoint, parameters)).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException failure) {
            throw new Unreachable(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted", interrupted);
        }
    }

    /** Inserts newline-separated JSON objects into a table; returns once the server has them. */
    void insert(String table, String jsonEachRow) {
        insert(table, utf8(jsonEachRow));
    }

    /**
     * Inserts rows of tab-separated values of the named columns, in that order; for values that
     * need no escaping (numbers, ids Tally makes itself).
     */
    void insertTabSeparated(String table, String columns, String rows) {
        send("INSERT INTO " + table + " (" + columns + ") FORMAT TabSeparated", utf8(rows), Map.of(), null,
                REQUEST_TIMEOUT);
    }

    /** The same, the rows already UTF-8. */
    void insert(String table, byte[] jsonEachRow) {
        send("INSERT INTO " + table + " FORMAT JSONEachRow", jsonEachRow, Map.of(), null, REQUEST_TIMEOUT);
    }

    private String send(String queryParameter, String body, Map<String, String> extra) {
        return send(queryParameter, body, extra, null);
    }

    private String send(String queryParameter, String body, Map<String, String> extra, String contentType) {
        return send(queryParameter, utf8(body), extra, contentType, REQUEST_TIMEOUT);
    }

    private String send(String queryParameter, String body, Map<String, String> extra, String contentType,
                        Duration timeout) {
        return send(queryParameter, utf8(body), extra, contentType, timeout);
    }

    private String send(String queryParameter, byte[] body, Map<String, String> extra, String contentType,
                        Duration timeout) {
        Map<String, String> parameters = new LinkedHashMap<>(extra);
        if (queryParameter != null) {
            parameters.put("query", queryParameter);
        }
        return onAnEndpoint(endpoint -> post(endpoint, body, parameters, contentType, timeout));
    }

    /**
     * Runs {@code request} on the endpoint that answered last, or on the next ones while it throws
     * {@link Unreachable}; the one that answers is tried first next time.
     */
    private <T> T onAnEndpoint(java.util.function.Function<URI, T> request) {
        int start = preferred.get();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < endpoints.size(); attempt++) {
            int index = (start + attempt) % endpoints.size();
            try {
                T answer = request.apply(endpoints.get(index));
                preferred.set(index);
                return answer;
            } catch (Unreachable unreachable) {
                lastFailure = unreachable.cause;
            }
        }
        throw new ClickHouseException("no endpoint answered (" + endpoints + "): "
                + (lastFailure == null ? "" : lastFailure), lastFailure);
    }

    private String post(URI endpoint, byte[] body, Map<String, String> parameters, String contentType,
                        Duration timeout) {
        String kind = parameters.containsKey("query") ? "insert" : startsWithSelect(body) ? "select" : "statement";
        return meters.clickHouseRequest(kind, () -> postTimed(endpoint, body, parameters, contentType, timeout));
    }

    private static boolean startsWithSelect(byte[] body) {
        int start = 0;
        while (start < body.length && Character.isWhitespace(body[start])) {
            start++;
        }
        return new String(body, start, Math.min(6, body.length - start), StandardCharsets.US_ASCII)
                .equalsIgnoreCase("SELECT");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String postTimed(URI endpoint, byte[] body, Map<String, String> parameters, String contentType,
                             Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(endpoint, parameters))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException stillRunning) {
            // the endpoint took the statement and may still be running it: sending it to another
            // endpoint would run it twice
            throw new ClickHouseException("no answer from " + endpoint.getHost() + ":" + endpoint.getPort()
                    + " within " + timeout + "; the statement may still be running there", stillRunning);
        } catch (IOException failure) {
            throw new Unreachable(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted", interrupted);
        }
        if (response.statusCode() != 200) {
            throw new ClickHouseException("HTTP " + response.statusCode() + " from " + endpoint.getHost() + ":"
                    + endpoint.getPort() + ": " + response.body().strip());
        }
        return response.body();
    }

    private URI url(URI endpoint, Map<String, String> parameters) {
        StringBuilder url = new StringBuilder(endpoint.getScheme()).append("://").append(endpoint.getHost());
        if (endpoint.getPort() >= 0) {
            url.append(':').append(endpoint.getPort());
        }
        url.append(endpoint.getPath() == null || endpoint.getPath().isEmpty() ? "/" : endpoint.getPath()).append('?');
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putAll(parameters);
        String userInfo = endpoint.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            all.put("user", colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) {
                all.put("password", userInfo.substring(colon + 1));
            }
        }
        boolean first = true;
        for (Map.Entry<String, String> parameter : all.entrySet()) {
            if (!first) {
                url.append('&');
            }
            first = false;
            url.append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
        }
        return URI.create(url.toString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Reads a {@code FORMAT JSON} answer; 64-bit integers arrive quoted and are read back as numbers here. */
    static List<Row> rows(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException notJson) {
            throw new ClickHouseException("answer is not JSON: " + abbreviate(json), notJson);
        }
        Map<String, String> types = new LinkedHashMap<>();
        for (JsonNode column : root.path("meta")) {
            types.put(column.path("name").asText(), column.path("type").asText());
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode data : root.path("data")) {
            Map<String, Object> values = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = data.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                values.put(field.getKey(), value(field.getValue(), types.getOrDefault(field.getKey(), "")));
            }
            rows.add(new Row(values));
        }
        return rows;
    }

    static Object value(JsonNode node, String type) {
        if (node == null || node.isNull()) {
            return null;
        }
        String base = type.startsWith("Nullable(") ? type.substring(9, type.length() - 1) : type;
        if (node.isTextual()) {
            String text = node.asText();
            return switch (base) {
                case "Int64", "UInt32", "Int32", "Int16", "Int8", "UInt16", "UInt8" -> Long.parseLong(text);
                case "UInt64" -> unsigned(text);
                default -> text;
            };
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.toString();
    }

    private static Object unsigned(String text) {
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** A connection-level failure: the next endpoint may answer. */
    private static final class Unreachable extends RuntimeException {
        private final IOException cause;

        Unreachable(IOException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
