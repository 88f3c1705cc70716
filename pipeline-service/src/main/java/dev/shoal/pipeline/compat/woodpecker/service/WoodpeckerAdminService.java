package dev.shoal.pipeline.compat.woodpecker.service;

import dev.shoal.pipeline.agent.service.AgentService;
import dev.shoal.pipeline.registry.service.RegistryService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.pipeline.settings.CiSettings;
import dev.shoal.pipeline.settings.CiSettingsPatch;
import dev.shoal.pipeline.settings.service.CiSettingsService;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Woodpecker's repository and organization administration over Shoal's services. Shoal is the
 * forge, so "repair" and "move" re-read the repository from repo-service (names and visibility
 * belong there), "activate" and "chown" change the CI settings, and deleting an organization
 * removes what the CI keeps for it (secrets, registries, agents): the organization itself, its
 * members and repositories are the forge's.
 */
@ApplicationScoped
public class WoodpeckerAdminService {

    /** What an organization's deletion removed. */
    public record OrgCleanup(int secrets, int registries, int agents) {
    }

    private static final int PAGE = 100;

    private final RepoDirectory repos;
    private final CiSettingsService settings;
    private final SecretService secrets;
    private final RegistryService registries;
    private final AgentService agents;

    public WoodpeckerAdminService(RepoDirectory repos, CiSettingsService settings, SecretService secrets,
                                  RegistryService registries, AgentService agents) {
        this.repos = repos;
        this.settings = settings;
        this.secrets = secrets;
        this.registries = registries;
        this.agents = agents;
    }

    /** Woodpecker's {@code POST /api/repos?forge_remote_id=}: switches CI on for a repository (by Shoal's id). */
    public Uni<Repo> activate(String forgeRemoteId) {
        if (forgeRemoteId == null || forgeRemoteId.isBlank()) {
            throw new ValidationException("forge_remote_id is required: the repository's id (GET /api/repos/lookup/{org}/{name})");
        }
        long id;
        try {
            id = Long.parseLong(forgeRemoteId.trim());
        } catch (NumberFormatException e) {
            throw new ValidationException("forge_remote_id must be a repository id (a number), got '" + cut(forgeRemoteId) + "'");
        }
        return repos.refresh(id).chain(found -> {
            Repo repo = found.orElseThrow(() -> new NotFoundException("repository " + id + " not found"));
            return settings.update(repo.id(), CiSettingsPatch.builder().active(true).build()).replaceWith(repo);
        });
    }

    /** Re-reads one repository from repo-service; 404 when it is gone (it is then forgotten). */
    public Uni<Repo> repair(Repo repo) {
        return repos.refresh(repo.id()).map(found -> found.orElseThrow(() ->
                new NotFoundException("repository " + repo.id() + " no longer exists")));
    }

    /** Re-reads every known repository from repo-service, one at a time; answers how many were read. */
    public Uni<Integer> repairAll() {
        return repairFrom(0, 0);
    }

    private Uni<Integer> repairFrom(long offset, int done) {
        return repos.list(PAGE, offset).chain(page -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Repo repo : page) {
                chain = chain.chain(() -> repos.refresh(repo.id()).replaceWithVoid());
            }
            // A repository found gone drops out of the list, so a later page may skip one; the next repair reads it.
            return chain.chain(() -> page.size() < PAGE ? Uni.createFrom().item(done + page.size())
                    : repairFrom(offset + PAGE, done + page.size()));
        });
    }

    /** Woodpecker's chown: the caller becomes the user who owns the repository's CI. */
    public Uni<CiSettings> chown(Repo repo, Caller caller) {
        if (caller.userId() == null) {
            throw new ApiException(401, "unauthorized", "sign in to take a repository over");
        }
        return settings.chown(repo.id(), caller).chain(() -> settings.get(repo.id()));
    }

    /**
     * Woodpecker's move: after the forge renamed or transferred the repository, the CI follows. In
     * Shoal the rename happens in repo-service ({@code PATCH /api/v1/repos/{org}/{repo}}); this reads
     * the repository again and succeeds when it is now called {@code to}.
     */
    public Uni<Repo> move(Repo repo, String to) {
        if (to == null || to.isBlank()) {
            throw new ValidationException("to is required: the repository's new full name, org/name");
        }
        String target = to.trim();
        if (!target.matches("[^/\\s]+/[^/\\s]+")) {
            throw new ValidationException("to must be a full name org/name, got '" + cut(target) + "'");
        }
        return repair(repo).map(now -> {
            if (!now.fullName().equals(target)) {
                throw new ApiException(422, "not_moved", "repository " + repo.id() + " is called " + now.fullName()
                        + " in the forge, not " + target + ": rename or transfer it there first "
                        + "(PATCH /api/v1/repos/" + now.fullName() + "), then move");
            }
            return now;
        });
    }

    /** Deletes what the CI keeps for organization {@code orgId}: its secrets, registries and agents. */
    public Uni<OrgCleanup> forgetOrg(long orgId) {
        SecretService.Owner owner = SecretService.orgOwner(orgId);
        return secrets.deleteAll(owner).chain(s -> registries.deleteAll(owner)
                .chain(r -> agents.deleteAllOf(orgId).map(a -> new OrgCleanup(s, r, a))));
    }

    private static String cut(String raw) {
        return raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
    }
}
