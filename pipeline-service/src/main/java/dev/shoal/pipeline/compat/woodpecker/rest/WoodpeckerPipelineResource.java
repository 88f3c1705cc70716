package dev.shoal.pipeline.compat.woodpecker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.PipelineView;
import dev.shoal.pipeline.pipeline.CommitFacts;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.service.ConfigLoader;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.NotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's pipeline routes under {@code /api/repos/{repo_id}/pipelines}. */
@Path("/api/repos/{repo_id}/pipelines")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerPipelineResource {

    /** Woodpecker's PipelineOptions for a manual run. */
    public record PipelineOptions(String branch, Map<String, String> variables) {
    }

    public record ConfigView(long id, @JsonProperty("repo_id") long repoId, String hash, String name, String data) {
    }

    private static final Set<String> RESTART_OPTIONS = Set.of("event", "deploy_to");

    private final WoodpeckerSupport support;
    private final PipelineService pipelines;
    private final ConfigLoader configs;

    public WoodpeckerPipelineResource(WoodpeckerSupport support, PipelineService pipelines,
                                      ConfigLoader configs) {
        this.support = support;
        this.pipelines = pipelines;
        this.configs = configs;
    }

    @GET
    public Uni<List<PipelineView>> list(@PathParam("repo_id") String repoId, @QueryParam("page") String page,
                                        @QueryParam("perPage") String perPage, @QueryParam("per_page") String perPageSnake,
                                        @QueryParam("before") String before, @QueryParam("after") String after,
                                        @QueryParam("branch") String branch, @QueryParam("event") String event,
                                        @QueryParam("ref") String ref, @QueryParam("status") String status) {
        PageRequest request = WoodpeckerSupport.page(page, perPage, perPageSnake);
        PipelineFilter filter = new PipelineFilter(blankToNull(status) == null ? null : WoodpeckerViews.shoalStatus(status.trim()),
                blankToNull(branch), blankToNull(event), blankToNull(ref), WoodpeckerSupport.time(before, "before"),
                WoodpeckerSupport.time(after, "after"));
        return support.repo(repoId).chain(repo -> pipelines.search(repo, filter, request)
                .map(found -> found.getValue().stream()
                        .map(p -> PipelineView.of(repo, p, null, support.publicUrl(), support.avatars())).toList()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<PipelineView> create(@PathParam("repo_id") String repoId, PipelineOptions body) {
        PipelineOptions options = body == null ? new PipelineOptions(null, null) : body;
        return support.repo(repoId).chain(repo -> pipelines.trigger(support.caller(), repo, options.branch(), options.variables())
                .chain(created -> view(repo, created.number())));
    }

    /** By number, or {@code latest} (of {@code ?branch=} when given). */
    @GET
    @Path("/{number}")
    public Uni<PipelineView> get(@PathParam("repo_id") String repoId, @PathParam("number") String number,
                                 @QueryParam("branch") String branch) {
        return support.repo(repoId).chain(repo -> {
            if ("latest".equals(number)) {
                return pipelines.latest(repo, blankToNull(branch)).chain(found -> {
                    PipelineRow row = found.orElseThrow(() -> new NotFoundException("no pipeline yet in " + repo.fullName()
                            + (blankToNull(branch) == null ? "" : " on branch '" + branch + "'")));
                    return view(repo, row.number());
                });
            }
            return view(repo, WoodpeckerSupport.number(number));
        });
    }

    /**
     * Restarts a pipeline as a new one: {@code ?event=} overrides its event, {@code ?deploy_to=} sets
     * the deploy target, every other query parameter becomes an environment variable of its steps.
     */
    @POST
    @Path("/{number}")
    public Uni<PipelineView> restart(@PathParam("repo_id") String repoId, @PathParam("number") String number,
                                     @Context UriInfo uri) {
        long n = WoodpeckerSupport.number(number);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        Map<String, String> variables = new LinkedHashMap<>();
        query.forEach((key, values) -> {
            if (!RESTART_OPTIONS.contains(key) && !values.isEmpty()) {
                variables.put(key, values.get(values.size() - 1));
            }
        });
        String deployTo = query.getFirst("deploy_to");
        if (deployTo != null && !deployTo.isBlank()) {
            variables.put("CI_PIPELINE_DEPLOY_TARGET", deployTo);
        }
        String event = blankToNull(query.getFirst("event"));
        return support.repo(repoId).chain(repo -> pipelines.restart(support.caller(), repo, n, event, variables)
                .chain(created -> view(repo, created.number())));
    }

    @DELETE
    @Path("/{number}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("repo_id") String repoId, @PathParam("number") String number) {
        long n = WoodpeckerSupport.number(number);
        return support.repo(repoId).chain(repo -> pipelines.delete(repo, n));
    }

    @POST
    @Path("/{number}/cancel")
    public Uni<PipelineView> cancel(@PathParam("repo_id") String repoId, @PathParam("number") String number) {
        long n = WoodpeckerSupport.number(number);
        return support.repo(repoId).chain(repo -> pipelines.cancel(support.caller(), repo, n).chain(p -> view(repo, n)));
    }

    @POST
    @Path("/{number}/approve")
    public Uni<PipelineView> approve(@PathParam("repo_id") String repoId, @PathParam("number") String number) {
        long n = WoodpeckerSupport.number(number);
        return support.repo(repoId).chain(repo -> pipelines.approve(support.caller(), repo, n).chain(p -> view(repo, n)));
    }

    @POST
    @Path("/{number}/decline")
    public Uni<PipelineView> decline(@PathParam("repo_id") String repoId, @PathParam("number") String number) {
        long n = WoodpeckerSupport.number(number);
        return support.repo(repoId).chain(repo -> pipelines.decline(support.caller(), repo, n).chain(p -> view(repo, n)));
    }

    /** The pipeline file(s) at the pipeline's commit, base64 as Woodpecker sends []byte. */
    @GET
    @Path("/{number}/config")
    public Uni<List<ConfigView>> config(@PathParam("repo_id") String repoId, @PathParam("number") String number) {
        long n = WoodpeckerSupport.number(number);
        return support.repo(repoId).chain(repo -> pipelines.row(repo, n).chain(p -> configs.raw(repo.id(), p.commitNode(),
                p.configFile()).map(files -> {
                    List<ConfigView> out = new ArrayList<>();
                    long i = 1;
                    for (Map.Entry<String, byte[]> file : files.entrySet()) {
                        out.add(new ConfigView(p.id() * 100 + i++, repo.id(), sha256(file.getValue()), file.getKey(),
                                Base64.getEncoder().encodeToString(file.getValue())));
                    }
                    return out;
                })));
    }

    /** What a step of this pipeline knows about its run (Woodpecker's metadata): repository, this and the previous pipeline. */
    @GET
    @Path("/{number}/metadata")
    public Uni<Map<String, Object>> metadata(@PathParam("repo_id") String repoId, @PathParam("number") String number) {
        long n = WoodpeckerSupport.number(number);
        return support.repo(repoId).chain(repo -> pipelines.row(repo, n).chain(current -> pipelines.search(repo,
                        new PipelineFilter(null, current.branch(), null, null, current.createdAt(), null), PageRequest.of("1", "1"))
                .map(prev -> {
                    String web = support.publicUrl() + "/" + repo.org() + "/" + repo.name();
                    Map<String, Object> meta = new LinkedHashMap<>();
                    meta.put("id", String.valueOf(current.id()));
                    meta.put("repo", Map.of("id", repo.id(), "name", repo.name(), "owner", repo.org(),
                            "remote_id", String.valueOf(repo.id()), "forge_url", web, "clone_url", web + ".git",
                            "default_branch", repo.defaultBranch(), "private", repo.isPrivate(), "trusted", false));
                    meta.put("curr", pipelineMeta(current, web));
                    meta.put("prev", prev.getValue().isEmpty() ? Map.of() : pipelineMeta(prev.getValue().get(0), web));
                    meta.put("workflow", Map.of("name", PipelineView.workflowName(current.configFile()), "number", 1,
                            "matrix", Map.of()));
                    meta.put("step", Map.of());
                    meta.put("sys", Map.of("name", "shoal", "url", support.publicUrl(), "host",
                            java.net.URI.create(support.publicUrl()).getHost() == null ? "" : java.net.URI.create(support.publicUrl()).getHost(),
                            "platform", current.platform() == null ? "" : current.platform(), "version", "1.0"));
                    meta.put("forge", Map.of("type", "shoal", "url", support.publicUrl()));
                    return meta;
                })));
    }

    private Map<String, Object> pipelineMeta(PipelineRow p, String web) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", p.number());
        m.put("created", WoodpeckerViews.unix(p.createdAt()));
        m.put("started", WoodpeckerViews.unix(p.startedAt()));
        m.put("finished", WoodpeckerViews.unix(p.finishedAt()));
        m.put("status", WoodpeckerViews.status(p.status()));
        m.put("event", p.event());
        m.put("forge_url", web + "/commit/" + p.commitNode());
        CommitFacts facts = p.commitFacts();
        String email = facts.authorEmail() == null ? "" : facts.authorEmail();
        m.put("commit", Map.of("sha", p.commitNode(), "ref", p.ref(), "branch", p.branch(),
                "message", facts.message() == null ? "" : facts.message(),
                "author", Map.of("name", facts.authorName() == null ? "" : facts.authorName(), "email", email,
                        "avatar", support.avatars().url(email))));
        m.put("parent", p.parent());
        return m;
    }

    private Uni<PipelineView> view(Repo repo, long number) {
        return pipelines.row(repo, number).chain(row -> pipelines.steps(row.id())
                .map(steps -> PipelineView.of(repo, row, steps, support.publicUrl(), support.avatars())));
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
