package dev.tally.integrations.twilio;

import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The URL Twilio called, which is what it signed: the configured public base URL (the scheme, host
 * and path prefix a proxy in front of Tally answers at), or else the request's own scheme and
 * {@code Host}, followed by the request's path and query exactly as they arrived.
 */
public final class TwilioRequestUrl {
    private TwilioRequestUrl() {
    }

    /**
     * The public base URL as the receiver joins paths to it (no trailing slash), or null for none.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String publicBase(String configured) {
        if (configured == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(configured.trim());
        } catch (URISyntaxException malformed) {
            throw new IllegalArgumentException("must be a URL such as https://tally.example.com, not '" + configured + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an http or https URL with a host, such as"
                    + " https://tally.example.com, not '" + configured + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must have no user, query or fragment: '" + configured + "'");
        }
        String base = uri.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    /**
     * The URLs Twilio may have signed for this request: as built, without its port and with the
     * scheme's default port, as Twilio's own SDKs try them (a proxy or Twilio itself may add or drop
     * {@code :443}).
     */
    static List<String> candidates(Context context, String publicBase) {
        String base = publicBase != null ? publicBase : context.req().getScheme() + "://" + host(context);
        String query = context.req().getQueryString();
        String url = base + context.req().getRequestURI() + (query == null ? "" : "?" + query);
        List<String> urls = List.of(withoutPort(url), withDefaultPort(url));
        return urls.get(0).equals(urls.get(1)) ? List.of(urls.get(0)) : urls;
    }

    private static String host(Context context) {
        String host = context.header("Host");
        return host == null || host.isBlank() ? context.req().getServerName() + ":" + context.req().getServerPort() : host;
    }

    /** Where the authority of {@code url} starts and ends, and where its port starts (-1 for none). */
    private record Authority(int start, int end, int portStart) {
        static Authority of(String url) {
            int start = url.indexOf("://") + 3;
            int end = start;
            while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
                end++;
            }
            int hostStart = url.lastIndexOf('@', end - 1) >= start ? url.lastIndexOf('@', end - 1) + 1 : start;
            int bracket = url.lastIndexOf(']', end - 1);
            int colon = url.indexOf(':', Math.max(hostStart, bracket + 1));
            return new Authority(start, end, colon >= 0 && colon < end ? colon : -1);
        }
    }

    static String withoutPort(String url) {
        Authority authority = Authority.of(url);
        return authority.portStart() < 0 ? url : url.substring(0, authority.portStart()) + url.substring(authority.end());
    }

    static String withDefaultPort(String url) {
        Authority authority = Authority.of(url);
        if (authority.portStart() >= 0) {
            return url;
        }
        String port = url.regionMatches(true, 0, "https://", 0, 8) ? ":443" : ":80";
        return url.substring(0, authority.end()) + port + url.substring(authority.end());
    }
}
