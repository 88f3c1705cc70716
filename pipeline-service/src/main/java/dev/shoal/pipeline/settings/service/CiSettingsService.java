package dev.shoal.pipeline.settings.service;

import dev.shoal.pipeline.settings.CiSettings;
import dev.shoal.pipeline.settings.CiSettingsPatch;
import dev.shoal.pipeline.settings.repository.CiSettingsRepository;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Pattern;

/** A repository's CI settings: read by the triggers, changed through the Drone and Woodpecker APIs. */
@ApplicationScoped
public class CiSettingsService {

    private static final Pattern CONFIG_FILE = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

    private final Pool pool;
    private final CiSettingsRepository settings;

    public CiSettingsService(Pool pool, CiSettingsRepository settings) {
        this.pool = pool;
        this.settings = settings;
    }

    public Uni<CiSettings> get(long repoId) {
        return get(pool, repoId);
    }

    /** The settings as seen inside {@code client}'s transaction; the defaults for a repository never configured. */
    public Uni<CiSettings> get(SqlClient client, long repoId) {
        return settings.find(client, repoId).map(found -> found.orElseGet(() -> CiSettings.defaults(repoId)));
    }

    public Uni<CiSettings> update(long repoId, CiSettingsPatch patch) {
        validate(patch);
        return pool.withTransaction(tx -> settings.lock(tx, repoId).chain(current -> {
            CiSettings next = apply(current, patch);
            return settings.save(tx, next).replaceWith(next);
        }));
    }

    /** Back to the defaults (Drone's "delete" of a repository deactivates it; this forgets everything else too). */
    /** Makes {@code caller} the user who owns the repository's CI (Woodpecker's chown). */
    public Uni<Void> chown(long repoId, dev.shoal.platform.identity.Caller caller) {
        return pool.withTransaction(tx -> settings.setOwner(tx, repoId, caller.userId(), caller.login()));
    }

    public Uni<Void> reset(SqlClient tx, long repoId) {
        return settings.delete(tx, repoId);
    }

    static CiSettings apply(CiSettings c, CiSettingsPatch p) {
        CiSettings.Trusted trusted = new CiSettings.Trusted(
                or(p.trustedNetwork(), c.trusted().network()),
                or(p.trustedSecurity(), c.trusted().security()),
                or(p.trustedVolumes(), c.trusted().volumes()));
        String configFile = p.configFile() == null ? c.configFile() : p.configFile().isBlank() ? null : p.configFile().strip();
        String visibility = p.visibility() == null ? c.visibility() : p.visibility().isBlank() ? null : p.visibility();
        return new CiSettings(c.repoId(), or(p.active(), c.active()), or(p.timeoutMinutes(), c.timeoutMinutes()), trusted,
                or(p.allowPr(), c.allowPr()), or(p.allowPush(), c.allowPush()), or(p.allowTags(), c.allowTags()),
                or(p.allowDeploy(), c.allowDeploy()), configFile, visibility,
                or(p.requireApproval(), c.requireApproval()),
                or(p.cancelPreviousPipelineEvents(), c.cancelPreviousPipelineEvents()),
                or(p.netrcTrusted(), c.netrcTrusted()));
    }

    static void validate(CiSettingsPatch p) {
        if (p.timeoutMinutes() != null && (p.timeoutMinutes() < 1 || p.timeoutMinutes() > CiSettings.MAX_TIMEOUT_MINUTES)) {
            throw new ValidationException("timeout must be between 1 and " + CiSettings.MAX_TIMEOUT_MINUTES
                    + " minutes, got " + p.timeoutMinutes());
        }
        if (p.configFile() != null && !p.configFile().isBlank()) {
            String file = p.configFile().strip();
            if (!CONFIG_FILE.matcher(file).matches() || file.startsWith("/") || List.of(file.split("/")).contains("..")) {
                throw new ValidationException("config file must be a relative path inside the repository of at most 200 "
                        + "characters of a-z, 0-9, '.', '_', '-' and '/', without '..'");
            }
        }
        if (p.visibility() != null && !p.visibility().isBlank() && !CiSettings.VISIBILITIES.contains(p.visibility())) {
            throw new ValidationException("visibility must be one of " + String.join(", ", CiSettings.VISIBILITIES));
        }
        if (p.requireApproval() != null && !CiSettings.APPROVAL_MODES.contains(p.requireApproval())) {
            throw new ValidationException("require_approval must be one of " + String.join(", ", CiSettings.APPROVAL_MODES));
        }
        if (p.cancelPreviousPipelineEvents() != null) {
            for (String event : p.cancelPreviousPipelineEvents()) {
                if (event == null || !CiSettings.EVENTS.contains(event)) {
                    throw new ValidationException("cancel_previous_pipeline_events may hold only "
                            + String.join(", ", CiSettings.EVENTS.stream().sorted().toList()) + ", got '" + event + "'");
                }
            }
        }
        if (p.netrcTrusted() != null && p.netrcTrusted().stream().anyMatch(s -> s == null || s.isBlank() || s.length() > 200)) {
            throw new ValidationException("netrc_trusted must be a list of image names");
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
