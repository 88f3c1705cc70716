package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerService;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.service.AuthorAvatars;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.RequestScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import dev.shoal.platform.git.SshUrls;

/** What every Woodpecker resource needs: the repository or organization a path names by id, paging, times. */
@RequestScoped
public class WoodpeckerSupport {

    private final CurrentCaller caller;
    private final RepoDirectory repos;
    private final WoodpeckerService woodpecker;
    private final AuthorAvatars avatars;
    private final String publicUrl;
    private final SshUrls sshUrls;

    public WoodpeckerSupport(CurrentCaller caller, RepoDirectory repos, WoodpeckerService woodpecker, AuthorAvatars avatars,
                             PublicUrl publicUrl,
                             SshUrls sshUrls) {
        this.caller = caller;
        this.repos = repos;
        this.woodpecker = woodpecker;
        this.avatars = avatars;
        this.sshUrls = sshUrls;
        this.publicUrl = publicUrl.base();
    }

    public Caller caller() {
        return caller.get();
    }

    public String publicUrl() {
        return publicUrl;
    }

    /** Commit authors' avatar URLs (empty when avatars are off). */
    public AuthorAvatars avatars() {
        return avatars;
    }

    /** Woodpecker's {@code clone_url_ssh}. */
    public String sshUrl(Repo repo) {
        return sshUrls.of(repo.org(), repo.name());
    }

    /** The repository of a {@code /api/repos/{repo_id}/…} path, as the gateway resolved it. */
    public Uni<Repo> repo(String repoId) {
        return repos.requireById(repoId, caller.get().repoId());
    }

    /** A repository this service knows, by id, without a route naming it (the hook's); 404 when unknown. */
    public Uni<Repo> repoOf(long id) {
        return repos.requireById(String.valueOf(id), id);
    }

    /** The repository of a {@code …/{org}/{name}} path (lookups and badges). */
    public Uni<Repo> repo(String org, String name) {
        return repos.require(org, name, caller.get().repoId());
    }

    /** Step {@code stepId} (Shoal's step id) of pipeline {@code number} of the path's repository; 404 otherwise. */
    public Uni<StepRow> step(String repoId, String number, String stepId) {
        long n = number(number);
        long id = id(stepId, "step");
        return repo(repoId).chain(repo -> woodpecker.step(repo, n, id));
    }

    /** The organization of a {@code /api/orgs/{org_id}/…} path, as the gateway resolved it. */
    public SecretService.Owner org(String orgId) {
        long id;
        try {
            id = Long.parseLong(orgId);
        } catch (NumberFormatException e) {
            throw new NotFoundException("organization id must be a number, got '" + cut(orgId) + "'");
        }
        Long claim = caller.get().orgId();
        if (claim == null || claim != id) {
            throw new NotFoundException("organization " + id + " not found");
        }
        return SecretService.orgOwner(id);
    }

    /** Woodpecker pages with {@code page} and {@code perPage} (default 50); {@code per_page} is accepted too. */
    public static PageRequest page(String page, String perPage, String perPageSnake) {
        return PageRequest.of(page, perPage != null ? perPage : perPageSnake, 50, 100);
    }

    /** A pipeline number, or 404. */
    public static long number(String raw) {
        return dev.shoal.pipeline.pipeline.service.PipelineService.parseNumber(raw, "pipeline number");
    }

    /** An id in a path: a positive number, or 404 naming what was not found. */
    public static long id(String raw, String what) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NotFoundException(what + " '" + cut(raw) + "' not found");
    }

    /** RFC 3339 or unix seconds, as Woodpecker clients send {@code before}/{@code after}. */
    public static Instant time(String raw, String name) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        try {
            if (value.matches("-?\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(value));
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ValidationException(name + " must be an RFC 3339 time (2025-01-15T10:00:00Z) or unix seconds, got '"
                    + cut(value) + "'");
        }
    }

    static String cut(String raw) {
        return raw == null ? "" : raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
    }
}
