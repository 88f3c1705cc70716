package dev.shoal.issue.tracker.service;

import dev.shoal.issue.repo.service.RepoScopes;
import dev.shoal.issue.tracker.TrackerSettings;
import dev.shoal.issue.tracker.TrackerSettings.CustomKey;
import dev.shoal.issue.tracker.repository.TrackerRepository;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tracker settings of a repository: priorities, close statuses, custom field keys. */
@ApplicationScoped
public class TrackerService {

    static final int MAX_ENTRIES = 50;

    private final Pool pool;
    private final RepoScopes repos;
    private final TrackerRepository settings;

    public TrackerService(Pool pool, RepoScopes repos, TrackerRepository settings) {
        this.pool = pool;
        this.repos = repos;
        this.settings = settings;
    }

    public Uni<TrackerSettings> get(Caller caller, String org, String name) {
        return repos.forRead(caller, org, name).chain(repo -> repo.known() ? settings.get(pool, repo.id())
                : Uni.createFrom().item(TrackerSettings.defaults()));
    }

    /** The settings of a repository the caller was already allowed to read (defaults until set). */
    public Uni<TrackerSettings> of(long repoId) {
        return settings.get(pool, repoId);
    }

    /** Replaces the settings; owners only (the route table checks it, this double-checks). */
    public Uni<TrackerSettings> put(Caller caller, String org, String name, TrackerSettings wanted) {
        if (!caller.isOwner()) {
            throw new dev.shoal.platform.error.ForbiddenException("only organization owners may change tracker settings");
        }
        TrackerSettings clean = validate(wanted);
        return repos.forWrite(caller, org, name).chain(repo -> pool.withTransaction(tx -> settings.put(tx, repo.id(), clean)
                .chain(() -> settings.get(tx, repo.id()))));
    }

    static TrackerSettings validate(TrackerSettings in) {
        if (in == null) {
            throw new ValidationException("send {\"priorities\": {\"1\": \"High\"}, \"close_statuses\": [...], \"custom_fields\": [...]}");
        }
        Map<String, String> priorities = new LinkedHashMap<>();
        if (in.priorities() != null) {
            if (in.priorities().size() > MAX_ENTRIES) {
                throw new ValidationException("priorities may hold at most " + MAX_ENTRIES + " entries");
            }
            Set<String> titles = new HashSet<>();
            in.priorities().forEach((weight, title) -> {
                try {
                    int w = Integer.parseInt(weight);
                    if (w < -1000 || w > 1000) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new ValidationException("priorities keys must be whole numbers from -1000 to 1000 (the weight), got '" + weight + "'");
                }
                if (title == null || title.isBlank() || title.length() > 100 || !titles.add(title.toLowerCase())) {
                    throw new ValidationException("priorities titles must be distinct and 1-100 characters, got '" + title + "'");
                }
                priorities.put(String.valueOf(Integer.parseInt(weight)), title.strip());
            });
        }
        List<String> statuses = in.closeStatuses() == null ? TrackerSettings.DEFAULT_CLOSE_STATUSES : in.closeStatuses();
        if (statuses.size() > MAX_ENTRIES) {
            throw new ValidationException("close_statuses may hold at most " + MAX_ENTRIES + " entries");
        }
        Set<String> seen = new HashSet<>();
        for (String s : statuses) {
            if (s == null || s.isBlank() || s.length() > 100 || !seen.add(s.strip().toLowerCase())) {
                throw new ValidationException("close_statuses must be distinct texts of 1-100 characters");
            }
            if (s.strip().equalsIgnoreCase("open") || s.strip().equalsIgnoreCase("closed")) {
                throw new ValidationException("close_statuses cannot be 'Open' or 'Closed': they qualify a closed issue");
            }
        }
        List<CustomKey> keys = new ArrayList<>();
        if (in.customFields() != null) {
            if (in.customFields().size() > MAX_ENTRIES) {
                throw new ValidationException("custom_fields may hold at most " + MAX_ENTRIES + " keys");
            }
            Set<String> names = new HashSet<>();
            for (CustomKey key : in.customFields()) {
                if (key == null || key.name() == null || !key.name().matches("[A-Za-z0-9_.-]{1,64}") || !names.add(key.name())) {
                    throw new ValidationException("custom_fields names must be distinct, 1-64 characters of A-Z, a-z, 0-9, '_', '.', '-'");
                }
                String type = key.type() == null ? "text" : key.type();
                if (!TrackerSettings.KEY_TYPES.contains(type)) {
                    throw new ValidationException("custom_fields type must be one of " + String.join(", ", TrackerSettings.KEY_TYPES)
                            + ", got '" + type + "' for " + key.name());
                }
                List<String> options = key.options() == null ? List.of() : key.options();
                if ("list".equals(type) && options.isEmpty()) {
                    throw new ValidationException("custom field " + key.name() + " of type list needs options");
                }
                if (options.stream().anyMatch(o -> o == null || o.isBlank() || o.length() > 100) || options.size() > MAX_ENTRIES) {
                    throw new ValidationException("options of " + key.name() + " must be at most " + MAX_ENTRIES + " texts of 1-100 characters");
                }
                keys.add(new CustomKey(key.name(), type, options));
            }
        }
        return new TrackerSettings(priorities, statuses.stream().map(String::strip).toList(), keys);
    }
}
