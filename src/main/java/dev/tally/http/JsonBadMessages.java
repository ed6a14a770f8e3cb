package dev.tally.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Requests Jetty refuses before any route sees them (a NUL or an undecodable byte in the path, a
 * header too large) get the same JSON error as every other bad request, not Jetty's HTML page.
 */
public final class JsonBadMessages extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        String why = "was refused before it reached a route: " + (reason == null ? "malformed request" : reason)
                + " (for example a NUL or an invalid escape in the path)";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "bad_request");
        body.put("field", "request");
        body.put("reason", why);
        body.put("message", "request: " + why);
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException unexpected) {
            json = "{\"error\":\"bad_request\",\"field\":\"request\",\"reason\":\"malformed request\"}";
        }
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    }
}
