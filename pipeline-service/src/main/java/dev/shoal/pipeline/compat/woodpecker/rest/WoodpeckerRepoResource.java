package dev.shoal.pipeline.compat.woodpecker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.Permission;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.RepoView;
import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerAdminService;
import dev.shoal.pipeline.pull.PullRequestRow;
import dev.shoal.pipeline.pull.service.PullRequestService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.client.RepoContentClient;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.settings.CiSettingsPatch;
import dev.shoal.pipeline.settings.service.CiSettingsService;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Woodpecker's repository routes. Repositories are addressed by Shoal's numeric id; the gateway
 * resolves it and applies the same access rules as for named routes. The CI settings Woodpecker
 * shows on a repository are {@code repo_ci_settings}.
 */
@Path("/api/repos")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerRepoResource {

    /** Woodpecker's RepoPatch; {@code active} is Shoal's extension (Woodpecker activates with POST /api/repos). */
    public record RepoPatch(@JsonProperty("config_file") String configFile,
                            @JsonProperty("require_approval") String requireApproval, Integer timeout, String visibility,
                            @JsonProperty("allow_pr") Boolean allowPr, @JsonProperty("allow_deploy") Boolean allowDeploy,
                            @JsonProperty("cancel_previous_pipeline_events") List<String> cancelPreviousPipelineEvents,
                            @JsonProperty("netrc_trusted") List<String> netrcTrusted, TrustedPatch trusted, Boolean active) {
    }

    public record TrustedPatch(Boolean network, Boolean security, Boolean volumes) {
    }

    /** Woodpecker's PullRequest: {@code index} is a forge id, a string in Woodpecker's model. */
    public record PullRequestView(String index, String title) {

        static PullRequestView of(PullRequestRow row) {
            return new PullRequestView(String.valueOf(row.number()), row.title());
        }
    }

    private final WoodpeckerSupport support;
    private final CiSettingsService settings;
    private final RepoContentClient content;
    private final RepoDirectory repos;
    private final PullRequestService pulls;
    private final WoodpeckerAdminService admin;

    public WoodpeckerRepoResource(WoodpeckerSupport support, CiSettingsService settings, RepoContentClient content,
                                  RepoDirectory repos, PullRequestService pulls, WoodpeckerAdminService admin) {
        this.pulls = pulls;
        this.admin = admin;
        this.support = support;
        this.settings = settings;
        this.content = content;
        this.repos = repos;
    }

    /** Every repository Shoal's CI knows (site admins; the gateway checks). */
    @GET
    public Uni<List<RepoView>> list(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                    @QueryParam("per_page") String perPageSnake, @QueryParam("active") String active) {
        PageRequest request = WoodpeckerSupport.page(page, perPage, perPageSnake);
        Boolean onlyActive = active == null || active.isBlank() ? null : parseBool(active, "active");
        return repos.list(request.perPage(), request.offset()).chain(list -> list.isEmpty()
                ? Uni.createFrom().item(List.<RepoView>of())
                : Uni.join().all(list.stream().map(this::view).toList()).andFailFast()
                        .map(views -> views.stream().filter(v -> onlyActive == null || v.active() == onlyActive).toList()));
    }

    @GET
    @Path("/{repo_id: [0-9]+}")
    public Uni<RepoView> get(@PathParam("repo_id") String repoId) {
        return support.repo(repoId).chain(this::view);
    }

    @GET
    @Path("/lookup/{org}/{name}")
    public Uni<RepoView> lookup(@PathParam("org") String org, @PathParam("name") String name) {
        return support.repo(org, name).chain(this::view);
    }

    /** The caller's rights: pull (it got here), push (organization member), admin (owner). */
    @GET
    @Path("/{repo_id: [0-9]+}/permissions")
    public Uni<Permission> permissions(@PathParam("repo_id") String repoId) {
        Caller caller = support.caller();
        return support.repo(repoId).map(repo -> {
            long now = java.time.Instant.now().getEpochSecond();
            return new Permission(true, caller.isMember(), caller.isOwner(), now, now, now);
        });
    }

    @GET
    @Path("/{repo_id: [0-9]+}/branches")
    public Uni<List<String>> branches(@PathParam("repo_id") String repoId, @QueryParam("page") String page,
                                      @QueryParam("perPage") String perPage, @QueryParam("per_page") String perPageSnake) {
        PageRequest request = WoodpeckerSupport.page(page, perPage, perPageSnake);
        return support.repo(repoId).chain(content::branches).map(all -> all.stream().sorted()
                .skip(request.offset()).limit(request.perPage()).toList());
    }

    /** Pull request pipelines do not exist in Shoal yet, so there are none to list. */
    @GET
    @Path("/{repo_id: [0-9]+}/pull_requests")
    public Uni<List<PullRequestView>> pullRequests(@PathParam("repo_id") String repoId, @QueryParam("page") String page,
                                                   @QueryParam("perPage") String perPage,
                                                   @QueryParam("per_page") String perPageSnake) {
        PageRequest request = WoodpeckerSupport.page(page, perPage, perPageSnake);
        return support.repo(repoId).chain(repo -> pulls.open(repo, request))
                .map(rows -> rows.stream().map(PullRequestView::of).toList());
    }

    @PATCH
    @Path("/{repo_id: [0-9]+}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RepoView> patch(@PathParam("repo_id") String repoId, RepoPatch body) {
        if (body == null) {
            throw new ValidationException("send a JSON object with the settings to change");
        }
        CiSettingsPatch.Builder patch = CiSettingsPatch.builder()
                .configFile(body.configFile()).requireApproval(body.requireApproval()).timeoutMinutes(body.timeout())
                .visibility(body.visibility()).allowPr(body.allowPr()).allowDeploy(body.allowDeploy())
                .cancelPreviousPipelineEvents(body.cancelPreviousPipelineEvents()).netrcTrusted(body.netrcTrusted())
                .active(body.active());
        if (body.trusted() != null) {
            patch.trustedNetwork(body.trusted().network()).trustedSecurity(body.trusted().security())
                    .trustedVolumes(body.trusted().volumes());
        }
        return support.repo(repoId).chain(repo -> settings.update(repo.id(), patch.build())
                .map(s -> RepoView.of(repo, s, support)));
    }

    /** Deactivates CI for the repository (its git data belongs to repo-service and stays). */
    @DELETE
    @Path("/{repo_id: [0-9]+}")
    public Uni<RepoView> deactivate(@PathParam("repo_id") String repoId) {
        return support.repo(repoId).chain(repo -> settings.update(repo.id(), CiSettingsPatch.builder().active(false).build())
                .map(s -> RepoView.of(repo, s, support)));
    }

    /** Woodpecker's activation: {@code forge_remote_id} is the repository's id (site admins; owners PATCH {@code active}). */
    @POST
    public Uni<RepoView> activate(@QueryParam("forge_remote_id") String forgeRemoteId) {
        return admin.activate(forgeRemoteId).chain(this::view);
    }

    /** Reads every repository again from the forge (site admins). */
    @POST
    @Path("/repair")
    @ResponseStatus(204)
    public Uni<Void> repairAll() {
        return admin.repairAll().replaceWithVoid();
    }

    /** Reads the repository again from the forge (name, visibility, default branch). */
    @POST
    @Path("/{repo_id: [0-9]+}/repair")
    @ResponseStatus(204)
    public Uni<Void> repair(@PathParam("repo_id") String repoId) {
        return support.repo(repoId).chain(admin::repair).replaceWithVoid();
    }

    /** The caller becomes the user who owns the repository's CI. */
    @POST
    @Path("/{repo_id: [0-9]+}/chown")
    public Uni<RepoView> chown(@PathParam("repo_id") String repoId) {
        return support.repo(repoId).chain(repo -> admin.chown(repo, support.caller())
                .map(s -> RepoView.of(repo, s, support)));
    }

    /** Follows a rename or transfer done in the forge: {@code to} is the new full name. */
    @POST
    @Path("/{repo_id: [0-9]+}/move")
    public Uni<RepoView> move(@PathParam("repo_id") String repoId, @QueryParam("to") String to) {
        return support.repo(repoId).chain(repo -> admin.move(repo, to)).chain(this::view);
    }

    private Uni<RepoView> view(Repo repo) {
        return settings.get(repo.id()).map(s -> RepoView.of(repo, s, support));
    }

    static boolean parseBool(String raw, String name) {
        return switch (raw.trim()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new ValidationException(name + " must be true or false");
        };
    }
}
