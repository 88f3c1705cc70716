package dev.shoal.web;

import static dev.shoal.web.Pages.enc;
import static dev.shoal.web.Pages.page;
import static dev.shoal.web.Pages.paging;
import static dev.shoal.web.Pages.refusal;
import static dev.shoal.web.Pages.repository;
import static dev.shoal.web.Pages.repoApi;
import static dev.shoal.web.Pages.visitor;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * A repository's branches, tags and releases (with their assets), and the two downloads a browser
 * cannot make from the API itself because it cannot send the session token: a file's raw bytes and a
 * release asset. Both are relayed as they arrive, never held whole in memory.
 */
@Path("/{org}/{repo}")
@Produces(MediaType.TEXT_HTML)
public class RefPages {

    private static final int PER_PAGE = 50;

    private final Api api;
    private final Csrf csrf;
    private final Template branches;
    private final Template tags;
    private final Template releases;

    public RefPages(Api api, Csrf csrf, @Location("branches.html") Template branches, @Location("tags.html") Template tags,
                    @Location("releases.html") Template releases) {
        this.api = api;
        this.csrf = csrf;
        this.branches = branches;
        this.tags = tags;
        this.releases = releases;
    }

    private Response list(Template template, String what, String org, String repo, String page, HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        int p = page(page);
        Api.Answer list = api.get(repoApi(org, repo) + "/" + what + "?page=" + p + "&per_page=" + PER_PAGE, v.token());
        if (!list.ok()) {
            throw refusal(list, "The " + what + " could not be read");
        }
        return Response.ok(template.data("v", v).data("org", org).data("repo", r).data("items", list.list())
                .data("paging", paging(p, list.total(), PER_PAGE)).data("pagerBase", "/" + enc(org) + "/" + enc(repo) + "/" + what + "?")
                .data("tab", what).render()).build();
    }

    @GET
    @Path("/branches")
    public Response branchList(@PathParam("org") String org, @PathParam("repo") String repo, @QueryParam("page") String page,
                               @Context HttpHeaders headers) {
        return list(branches, "branches", org, repo, page, headers);
    }

    @GET
    @Path("/tags")
    public Response tagList(@PathParam("org") String org, @PathParam("repo") String repo, @QueryParam("page") String page,
                            @Context HttpHeaders headers) {
        return list(tags, "tags", org, repo, page, headers);
    }

    @GET
    @Path("/releases")
    public Response releaseList(@PathParam("org") String org, @PathParam("repo") String repo, @QueryParam("page") String page,
                                @Context HttpHeaders headers) {
        return list(releases, "releases", org, repo, page, headers);
    }

    /**
     * A file's bytes at a ref: text as {@code text/plain}, anything else as a download; never rendered
     * as a page of this site.
     */
    @GET
    @Blocking
    @Path("/raw/{ref}/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public RestMulti<byte[]> raw(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("ref") String ref,
                                 @PathParam("path") String path, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        repository(api, v, org, repo);
        StringBuilder clean = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                continue;
            }
            clean.append(clean.isEmpty() ? "" : "/").append(enc(segment));
        }
        if (clean.isEmpty()) {
            throw WebException.notFound();
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        // the API's raw bytes carry no type: its JSON says whether a file is text (and holds a small one whole)
        Api.Answer blob = api.get(repoApi(org, repo) + "/blob/" + clean + "?rev=" + enc(ref), v.token());
        if (blob.ok() && blob.data().get("content") instanceof String text && !"base64".equals(blob.data().get("encoding"))) {
            return RestMulti.fromMultiData(Multi.createFrom().item(text.getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .header("Content-Disposition", "inline; filename*=UTF-8''" + enc(name)).build();
        }
        if (!blob.ok() && blob.status() != 413) {
            throw refusal(blob, "The file could not be read");
        }
        return relay(repoApi(org, repo) + "/blob/" + clean + "?raw=1&rev=" + enc(ref), v, name, "attachment");
    }

    @GET
    @Blocking
    @Path("/releases/{id}/assets/{asset}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public RestMulti<byte[]> asset(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id,
                                   @PathParam("asset") String asset, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        repository(api, v, org, repo);
        if (!id.matches("[0-9]{1,18}") || !asset.matches("[0-9]{1,18}")) {
            throw WebException.notFound();
        }
        return relay(repoApi(org, repo) + "/releases/" + id + "/assets/" + asset, v, null, "attachment");
    }

    /**
     * The API's answer passed on as it comes. Text stays text/plain and everything else is a byte
     * stream, so a file holding HTML is never a page of this site (nosniff and the CSP apply too).
     */
    private RestMulti<byte[]> relay(String apiPath, Visitor v, String name, String disposition) {
        HttpClientResponse upstream = api.open(apiPath, v.token(), Map.of());
        if (upstream.statusCode() != 200) {
            int status = upstream.statusCode();
            upstream.request().reset();
            throw status == 413 ? new WebException(413, "This file is too large to download here; clone the repository.")
                    : status >= 500 ? new WebException(503, "The file could not be read right now.") : WebException.notFound();
        }
        String type = upstream.getHeader("Content-Type");
        String safeType = type != null && type.startsWith("text/") ? "text/plain; charset=utf-8" : MediaType.APPLICATION_OCTET_STREAM;
        String upstreamDisposition = upstream.getHeader("Content-Disposition");
        String length = upstream.getHeader("Content-Length");
        RestMulti.SyncRestMulti.Builder<byte[]> out = RestMulti.fromMultiData(upstream.toMulti().map(b -> b.getBytes())
                        .onTermination().invoke(() -> upstream.request().reset()))
                .header("Content-Type", safeType);
        if (name != null) {
            out.header("Content-Disposition", disposition + "; filename*=UTF-8''" + enc(name));
        } else if (upstreamDisposition != null) {
            out.header("Content-Disposition", upstreamDisposition);
        }
        if (length != null && length.matches("[0-9]{1,18}")) {
            out.header("Content-Length", length);
        }
        return out.build();
    }
}
