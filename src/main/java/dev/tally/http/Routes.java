package dev.tally.http;

import io.javalin.Javalin;

/** One domain's HTTP routes. Each domain package has one; {@link TallyServer} registers them all. */
public interface Routes {
    void register(Javalin app);
}
