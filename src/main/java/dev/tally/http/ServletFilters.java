package dev.tally.http;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.eclipse.jetty.servlet.FilterHolder;

/**
 * Filters around every request, static files included, which Javalin's before and after handlers
 * do not reliably pair up for.
 */
public final class ServletFilters {

    private ServletFilters() {
    }

    public static void install(JavalinConfig config, Filter filter) {
        config.jetty.modifyServletContextHandler(handler ->
                handler.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST)));
    }
}
