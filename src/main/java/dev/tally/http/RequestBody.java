package dev.tally.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body up to a limit, so an oversize body is a clear 413 and never fills the heap. */
public final class RequestBody {

    private RequestBody() {
    }

    public static byte[] read(Context context, long maxBytes) {
        long declared = context.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream input = context.req().getInputStream()) {
            byte[] body = input.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException failure) {
            throw new ApiError(400, "unreadable_body", "body", "could not be read: " + failure.getMessage());
        }
    }

    private static ApiError tooLarge(long maxBytes) {
        return new ApiError(413, "body_too_large", "body", "is larger than the limit of " + maxBytes
                + " bytes; split the batch");
    }
}
