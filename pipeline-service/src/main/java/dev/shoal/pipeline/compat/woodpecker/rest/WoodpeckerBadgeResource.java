package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.pipeline.repo.Repo;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * Badges: an SVG naming the status of the latest pipeline of the default branch (or {@code ?branch=}),
 * and the same as CCTray XML for build monitors. Repositories by id or by owner and name.
 */
@Path("/api/badges")
public class WoodpeckerBadgeResource {

    private static final String SVG = "image/svg+xml";
    private static final String XML = "application/xml";
    private static final Map<String, String> COLORS = Map.of("success", "#4c1", "failure", "#e05d44", "error", "#e05d44",
            "killed", "#9f9f9f", "declined", "#9f9f9f", "pending", "#dfb317", "running", "#dfb317", "blocked", "#dfb317",
            "skipped", "#9f9f9f");

    private final WoodpeckerSupport support;
    private final PipelineService pipelines;

    public WoodpeckerBadgeResource(WoodpeckerSupport support, PipelineService pipelines) {
        this.support = support;
        this.pipelines = pipelines;
    }

    @GET
    @Path("/{repo_id}/status.svg")
    public Uni<Response> statusById(@PathParam("repo_id") String repoId, @QueryParam("branch") String branch) {
        return support.repo(repoId).chain(repo -> svg(repo, branch));
    }

    @GET
    @Path("/{org}/{name}/status.svg")
    public Uni<Response> status(@PathParam("org") String org, @PathParam("name") String name,
                                @QueryParam("branch") String branch) {
        return support.repo(org, name).chain(repo -> svg(repo, branch));
    }

    @GET
    @Path("/{repo_id}/cc.xml")
    public Uni<Response> ccById(@PathParam("repo_id") String repoId) {
        return support.repo(repoId).chain(this::cc);
    }

    @GET
    @Path("/{org}/{name}/cc.xml")
    public Uni<Response> cc(@PathParam("org") String org, @PathParam("name") String name) {
        return support.repo(org, name).chain(this::cc);
    }

    private Uni<Response> svg(Repo repo, String branch) {
        String b = branch == null || branch.isBlank() ? repo.defaultBranch() : branch.trim();
        return pipelines.latest(repo, b).map(latest -> Response.ok(badge(latest.map(p -> WoodpeckerViews.status(p.status()))
                        .orElse("none")), SVG)
                .header("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
                .build());
    }

    private Uni<Response> cc(Repo repo) {
        return pipelines.latest(repo, repo.defaultBranch()).map(latest -> Response.ok(ccXml(repo, latest), XML)
                .header("Cache-Control", "no-cache").build());
    }

    /** A flat two-part badge: "pipeline" and the status word, coloured by outcome. */
    static String badge(String status) {
        String color = COLORS.getOrDefault(status, "#9f9f9f");
        int left = 55;
        int right = 8 + 7 * status.length();
        int width = left + right;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"20\" role=\"img\" "
                + "aria-label=\"pipeline: " + status + "\"><title>pipeline: " + status + "</title>"
                + "<rect width=\"" + left + "\" height=\"20\" fill=\"#555\"/>"
                + "<rect x=\"" + left + "\" width=\"" + right + "\" height=\"20\" fill=\"" + color + "\"/>"
                + "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">"
                + "<text x=\"" + (left / 2) + "\" y=\"14\">pipeline</text>"
                + "<text x=\"" + (left + right / 2) + "\" y=\"14\">" + status + "</text></g></svg>";
    }

    /** CCTray: one Project with activity (Building/Sleeping) and the last finished status word CCTray knows. */
    String ccXml(Repo repo, Optional<PipelineRow> latest) {
        String activity = "Sleeping";
        String last = "Unknown";
        String label = "";
        String time = "";
        String web = support.publicUrl() + "/" + repo.org() + "/" + repo.name();
        if (latest.isPresent()) {
            PipelineRow p = latest.get();
            label = String.valueOf(p.number());
            web = web + "/pipelines/" + p.number();
            java.time.Instant at = p.finishedAt() != null ? p.finishedAt() : p.startedAt() != null ? p.startedAt() : p.createdAt();
            time = DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            switch (p.status()) {
                case "pending", "running", "blocked" -> activity = "Building";
                default -> activity = "Sleeping";
            }
            last = switch (p.status()) {
                case "success" -> "Success";
                case "failure" -> "Failure";
                case "error" -> "Exception";
                default -> "Unknown";
            };
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Projects><Project name=\"" + xml(repo.fullName())
                + "\" activity=\"" + activity + "\" lastBuildStatus=\"" + last + "\" lastBuildLabel=\"" + label
                + "\" lastBuildTime=\"" + time + "\" webUrl=\"" + xml(web) + "\"></Project></Projects>\n";
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
