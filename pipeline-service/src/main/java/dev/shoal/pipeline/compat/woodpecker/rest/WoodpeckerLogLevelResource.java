package dev.shoal.pipeline.compat.woodpecker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.error.ValidationException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Woodpecker's log level route (site admins): pipeline-service's root log level, changed at once
 * and not persisted (a restart returns to the configured level).
 */
@Path("/api/log-level")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerLogLevelResource {

    public record LogLevel(@JsonProperty("log-level") String logLevel) {
    }

    /** Woodpecker's level words and the JBoss log manager levels they set on the root logger. */
    private static final Map<String, Level> LEVELS = Map.of(
            "trace", org.jboss.logmanager.Level.TRACE, "debug", org.jboss.logmanager.Level.DEBUG,
            "info", org.jboss.logmanager.Level.INFO, "warn", org.jboss.logmanager.Level.WARN,
            "error", org.jboss.logmanager.Level.ERROR, "fatal", org.jboss.logmanager.Level.FATAL,
            "panic", org.jboss.logmanager.Level.FATAL, "disabled", Level.OFF);

    @GET
    public LogLevel get() {
        return new LogLevel(currentLevel());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public LogLevel set(LogLevel body) {
        String wanted = body == null || body.logLevel() == null ? null : body.logLevel().trim().toLowerCase(Locale.ROOT);
        Level level = wanted == null ? null : LEVELS.get(wanted);
        if (level == null) {
            throw new ValidationException("log-level must be one of trace, debug, info, warn, error, fatal, panic, disabled");
        }
        Logger.getLogger("").setLevel(level);
        return new LogLevel(currentLevel());
    }

    static String currentLevel() {
        Level level = Logger.getLogger("").getLevel();
        if (level == null) {
            return "info";
        }
        if (level == Level.OFF) {
            return "disabled";
        }
        int v = level.intValue();
        if (v <= org.jboss.logmanager.Level.TRACE.intValue()) {
            return "trace";
        }
        if (v <= org.jboss.logmanager.Level.DEBUG.intValue()) {
            return "debug";
        }
        if (v <= org.jboss.logmanager.Level.INFO.intValue()) {
            return "info";
        }
        if (v <= org.jboss.logmanager.Level.WARN.intValue()) {
            return "warn";
        }
        if (v <= org.jboss.logmanager.Level.ERROR.intValue()) {
            return "error";
        }
        return "fatal";
    }
}
