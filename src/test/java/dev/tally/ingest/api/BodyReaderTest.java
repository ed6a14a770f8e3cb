package dev.tally.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ingest.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading an event off the token stream must give what reading it as a tree gave, field by field. */
class BodyReaderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FIELDS = List.of("id", "type", "n", "f", "big", "neg", "flag", "nothing",
            "attributes", "exception", "list", "absent", "dup");

    @Test
    void streamedFieldsEqualTheTreesFields() throws Exception {
        List<String> events = List.of(
                "{\"id\":\"e1\",\"type\":\"llm\",\"n\":12,\"f\":0.1,\"big\":123456789012345678901234567890,"
                        + "\"neg\":-3,\"flag\":true,\"nothing\":null,\"attributes\":{\"a\":\"1\",\"b\":\"2\"},"
                        + "\"exception\":{\"message\":\"boom\",\"code\":[1,2.5e3]},\"list\":[]}",
                "{\"id\":null,\"dup\":null,\"n\":9223372036854775807,\"f\":1e400}",
                "{}");
        for (String event : events) {
            EventJson tree = EventJson.of(MAPPER.readTree(event));
            String body = "[" + event + "," + event + "]";
            List<BodyReader.Item> streamed = BodyReader.read(body.getBytes(StandardCharsets.UTF_8), "application/json");
            List<BodyReader.Item> lines = BodyReader.read((event + "\n \t\n" + event).getBytes(StandardCharsets.UTF_8),
                    "application/x-ndjson");
            assertThat(streamed).hasSize(2);
            assertThat(lines).hasSize(2);
            for (BodyReader.Item item : List.of(streamed.get(1), lines.get(1))) {
                assertThat(item.json().isObject()).isTrue();
                assertThat(item.json().idOrNull()).isEqualTo(tree.idOrNull());
                for (String field : FIELDS) {
                    assertThat(item.json().get(field)).as(event + " " + field).isEqualTo(tree.get(field));
                }
            }
        }
        assertThat(EventJson.of(MAPPER.readTree("{\"id\":\"e1\",\"n\":12}")).get("n")).isInstanceOf(JsonNode.class);
    }

    /**
     * The streaming read must take an event's nested values itself: were it to throw after one (a
     * trailing-token check finding the next field), every such line would be parsed twice, the
     * second time as a tree, with an exception made between.
     */
    @Test
    void nestedValuesAndDecimalsAreReadOffTheStreamWithoutTheTreePath() throws Exception {
        String line = "{\"id\":\"e1\",\"attributes\":{\"a\":\"1\"},\"cost_usd\":0.25,\"list\":[1,2.5],\"n\":3}";
        try (JsonParser parser = BodyReader.VALUES.getFactory().createParser(line)) {
            EventJson event = EventJson.read(BodyReader.VALUES, parser);
            assertThat(parser.nextToken()).isNull();
            assertThat(event.get("attributes")).isEqualTo(MAPPER.readTree("{\"a\":\"1\"}"));
            assertThat(event.get("cost_usd")).isEqualTo(MAPPER.readTree("0.25"));
            assertThat(event.get("list")).isEqualTo(MAPPER.readTree("[1,2.5]"));
            assertThat(event.get("n")).isEqualTo(MAPPER.readTree("3"));
        }
        // what the tree path refuses, the streaming read still refuses, so such a line goes there for its message
        for (String refused : List.of("{\"id\":\"e1\",\"id\":\"e2\"}", "{\"attributes\":{\"a\":\"1\",\"a\":\"2\"}}")) {
            try (JsonParser parser = BodyReader.VALUES.getFactory().createParser(refused)) {
                assertThatThrownBy(() -> EventJson.read(BodyReader.VALUES, parser)).as(refused)
                        .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Duplicate field");
            }
        }
    }

    @Test
    void badAndNonObjectLinesAreJudgedAsBefore() {
        List<BodyReader.Item> lines = BodyReader.read("[1]\n{\"id\":\"x\"\n\"text\"\n{\"id\":\"ok\"}"
                .getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).json().isObject()).isFalse();
        assertThat(lines.get(1).json()).isNull();
        assertThat(lines.get(1).unreadable()).startsWith("line 2 is not valid JSON: Unexpected end-of-input");
        assertThat(lines.get(2).json().isObject()).isFalse();
        assertThat(lines.get(3).json().idOrNull()).isEqualTo("ok");
    }

    /**
     * Lines are parsed as bytes; what a line's text decides stays as the text decided it: a byte
     * order mark within the body refused, bytes that are not UTF-8 read as U+FFFD, a line of
     * Unicode spaces blank.
     */
    @Test
    void linesReadAsBytesAreJudgedAsTheirText() {
        byte[] notUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', 'a', (byte) 0xC3, '"', '}'};
        byte[] body = concat("{\"id\":\"first\"}\n\uFEFF{\"id\":\"bom\"}\n\u2028\u3000 \n{\"id\":\"\u00e9\ud83d\ude00\"}\n"
                .getBytes(StandardCharsets.UTF_8), notUtf8);
        List<BodyReader.Item> lines = BodyReader.read(body, "application/x-ndjson");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).json().idOrNull()).isEqualTo("first");
        assertThat(lines.get(1).unreadable()).startsWith("line 2 is not valid JSON: Unexpected character");
        assertThat(lines.get(2).json().idOrNull()).isEqualTo("\u00e9\ud83d\ude00");
        assertThat(lines.get(3).json().idOrNull()).isEqualTo("a\uFFFD");
    }

    /** A file saved with a byte order mark (PowerShell, Notepad) is sent whole: its first line is an event. */
    @Test
    void theBodysOwnByteOrderMarkIsIgnoredAsInAJsonBody() {
        String events = "{\"id\":\"one\"}\n{\"id\":\"two\"}\n";
        List<BodyReader.Item> lines = BodyReader.read(("\uFEFF" + events).getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertThat(lines).extracting(line -> line.json() == null ? line.unreadable() : line.json().idOrNull())
                .containsExactly("one", "two");
        assertThat(BodyReader.read("\uFEFF[{\"id\":\"one\"}]".getBytes(StandardCharsets.UTF_8), "application/json"))
                .extracting(line -> line.json().idOrNull()).containsExactly("one");
        assertThatThrownBy(() -> BodyReader.read("\uFEFF\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson"))
                .as("nothing but the mark").hasMessageContaining("is empty");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
