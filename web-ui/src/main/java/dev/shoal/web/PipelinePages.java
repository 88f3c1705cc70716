package dev.shoal.web;

import static dev.shoal.web.Pages.checkCsrf;
import static dev.shoal.web.Pages.enc;
import static dev.shoal.web.Pages.page;
import static dev.shoal.web.Pages.paging;
import static dev.shoal.web.Pages.redirect;
import static dev.shoal.web.Pages.repository;
import static dev.shoal.web.Pages.repoApi;
import static dev.shoal.web.Pages.requireSignedIn;
import static dev.shoal.web.Pages.visitor;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pipelines of one repository: the list, one pipeline with its steps and their logs, cancel and
 * restart. A running step's log is followed live: the browser's EventSource cannot send the session
 * token, so {@link #follow} opens the API's log stream with it and passes the events through as they
 * come, their text turned into HTML ({@link AnsiHtml}) on the way.
 */
@Path("/{org}/{repo}/pipelines")
@Produces(MediaType.TEXT_HTML)
public class PipelinePages {

    private static final int PER_PAGE = 20;
    private static final Set<String> STATUSES = Set.of("pending", "running", "success", "failure", "error", "cancelled", "blocked", "declined", "skipped", "killed");
    private static final Set<String> LIVE = Set.of("pending", "running");
    /** A finished step's log is shown up to its last this many characters; the API serves it whole. */
    private static final int MAX_LOG_CHARS = 1 << 20;
    private static final String NUMBER = "[0-9]{1,9}";

    private final Api api;
    private final Csrf csrf;
    private final Template pipelines;
    private final Template pipeline;

    public PipelinePages(Api api, Csrf csrf, @Location("pipelines.html") Template pipelines,
                         @Location("pipeline.html") Template pipeline) {
        this.api = api;
        this.csrf = csrf;
        this.pipelines = pipelines;
        this.pipeline = pipeline;
    }

    @GET
    public Response list(@PathParam("org") String org, @PathParam("repo") String repo, @QueryParam("status") String status,
                         @QueryParam("page") String page, @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        int p = page(page);
        String filter = status != null && STATUSES.contains(status) ? status : null;
        Api.Answer list = api.get(repoApi(org, repo) + "/pipelines?page=" + p + "&per_page=" + PER_PAGE
                + (filter == null ? "" : "&status=" + filter), v.token());
        if (!list.ok()) {
            throw list.status() == 404 ? WebException.notFound() : new WebException(503, "Pipelines could not be read: " + list.message());
        }
        // the native pipeline list is not in the envelope: {"total","page","per_page","pipelines"}
        Object items = list.body().get("pipelines");
        long total = list.body().get("total") instanceof Number n ? n.longValue() : 0;
        return Response.ok(pipelines.data("v", v).data("org", org).data("repo", r)
                .data("pipelines", items instanceof List<?> l ? l : List.of()).data("status", filter)
                .data("paging", paging(p, total, PER_PAGE))
                .data("pagerBase", "/" + enc(org) + "/" + enc(repo) + "/pipelines?" + (filter == null ? "" : "status=" + filter + "&"))
                .data("tab", "pipelines").render()).build();
    }

    @GET
    @Path("/{number}")
    public Response show(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                         @Context HttpHeaders headers) {
        Visitor v = visitor(api, csrf, headers);
        Map<String, Object> r = repository(api, v, org, repo);
        if (!number.matches(NUMBER)) {
            throw WebException.notFound();
        }
        Api.Answer found = api.get(repoApi(org, repo) + "/pipelines/" + number, v.token());
        if (!found.ok()) {
            throw found.status() == 404 ? WebException.notFound() : new WebException(503, "The pipeline could not be read: " + found.message());
        }
        Map<String, Object> pl = found.body();
        List<Map<String, Object>> steps = new ArrayList<>();
        if (pl.get("steps") instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> raw)) {
                    continue;
                }
                Map<String, Object> step = new LinkedHashMap<>();
                raw.forEach((k, val) -> step.put(String.valueOf(k), val));
                boolean live = LIVE.contains(String.valueOf(step.get("status")));
                step.put("live", live);
                step.put("log", live ? "" : finishedLog(org, repo, number, step.get("number"), v.token()));
                steps.add(step);
            }
        }
        boolean running = LIVE.contains(String.valueOf(pl.get("status"))) || "blocked".equals(pl.get("status"));
        return Response.ok(pipeline.data("v", v).data("org", org).data("repo", r).data("pipeline", pl).data("steps", steps)
                .data("running", running).data("tab", "pipelines").render()).build();
    }

    /** A finished step's whole log as HTML (its tail when very long); a log that cannot be read says so. */
    private String finishedLog(String org, String repo, String number, Object step, String token) {
        Api.Answer log = api.get(repoApi(org, repo) + "/pipelines/" + number + "/steps/" + step + "/log", token);
        if (!log.ok()) {
            return log.status() == 404 ? "" : AnsiHtml.toHtml("(the log could not be read: " + log.message() + ")");
        }
        String text = log.text();
        if (text.length() > MAX_LOG_CHARS) {
            text = "… (the beginning is cut; download the log through the API)\n" + text.substring(text.length() - MAX_LOG_CHARS);
        }
        return AnsiHtml.toHtml(text);
    }

    /**
     * The step's log as server-sent events for htmx's SSE extension: {@code log} events whose data is
     * the HTML of the next piece of text, with the API's byte offset as id (the browser's reconnect
     * sends it back as {@code Last-Event-ID}, passed on, so nothing is shown twice), then {@code end}.
     * Nothing is buffered: each event goes out as soon as the API sends it.
     */
    @GET
    @Blocking
    @Path("/{number}/steps/{step}/log/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> follow(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("number") String number, @PathParam("step") String step,
                                          @HeaderParam("Last-Event-ID") String lastEventId, @Context HttpHeaders headers,
                                          @Context Sse sse) {
        if (!Pages.NAME.matcher(org).matches() || !Pages.NAME.matcher(repo).matches() || !number.matches(NUMBER)
                || !step.matches(NUMBER)) {
            throw WebException.notFound();
        }
        Visitor v = visitor(api, csrf, headers);
        Map<String, String> forward = lastEventId != null && lastEventId.matches("[0-9]{1,18}")
                ? Map.of("Last-Event-ID", lastEventId) : Map.of();
        HttpClientResponse upstream = api.open(repoApi(org, repo) + "/pipelines/" + number + "/steps/" + step + "/log/stream",
                v.token(), forward);
        if (upstream.statusCode() != 200) {
            upstream.request().reset();
            throw upstream.statusCode() == 404 || upstream.statusCode() == 403 || upstream.statusCode() == 401
                    ? WebException.notFound() : new WebException(503, "The log could not be followed right now.");
        }
        Relay relay = new Relay(sse);
        return upstream.toMulti()
                .onItem().transformToIterable(buffer -> relay.accept(buffer.getBytes()))
                .onTermination().invoke(() -> upstream.request().reset());
    }

    /** Reads the API's event stream line by line and re-emits its events with HTML for data. */
    static final class Relay {
        private final Sse sse;
        private final AnsiHtml ansi = new AnsiHtml();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private String event;
        private String id;
        private StringBuilder data;

        Relay(Sse sse) {
            this.sse = sse;
        }

        List<OutboundSseEvent> accept(byte[] bytes) {
            List<OutboundSseEvent> out = new ArrayList<>(2);
            for (byte b : bytes) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                // lines are cut on bytes, so a UTF-8 character split between two buffers stays whole
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    OutboundSseEvent done = dispatch();
                    if (done != null) {
                        out.add(done);
                    }
                } else if (text.startsWith("event:")) {
                    event = value(text, 6);
                } else if (text.startsWith("id:")) {
                    id = value(text, 3);
                } else if (text.startsWith("data:")) {
                    if (data == null) {
                        data = new StringBuilder();
                    } else {
                        data.append('\n');
                    }
                    data.append(value(text, 5));
                }
            }
            return out;
        }

        private static String value(String line, int from) {
            String v = line.substring(from);
            return v.startsWith(" ") ? v.substring(1) : v;
        }

        private OutboundSseEvent dispatch() {
            String name = event;
            String text = data == null ? null : data.toString();
            String eventId = id;
            event = null;
            data = null;
            if (name == null && text == null) {
                return null;
            }
            var builder = sse.newEventBuilder().name("end".equals(name) ? "end" : "log");
            if (eventId != null) {
                builder.id(eventId);
            }
            return builder.data("end".equals(name) ? "" : ansi.feed(text == null ? "" : text)).build();
        }
    }

    @POST
    @Path("/{number}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancel(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                           @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        act(org, repo, number, "cancel", presented, headers, "The pipeline was not cancelled: ");
        return redirect("/" + enc(org) + "/" + enc(repo) + "/pipelines/" + number);
    }

    @POST
    @Path("/{number}/rerun")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rerun(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                          @FormParam(Csrf.FIELD) String presented, @Context HttpHeaders headers) {
        Map<String, Object> started = act(org, repo, number, "rerun", presented, headers, "The pipeline was not restarted: ");
        Object next = started.get("number");
        return redirect("/" + enc(org) + "/" + enc(repo) + "/pipelines/" + (next instanceof Number n ? n.longValue() : number));
    }

    /** A blocked pipeline (waiting for approval) is approved or declined through Woodpecker's routes, the API's only ones. */
    @POST
    @Path("/{number}/{decision: approve|decline}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number,
                           @PathParam("decision") String decision, @FormParam(Csrf.FIELD) String presented,
                           @Context HttpHeaders headers) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        Map<String, Object> found = repository(api, v, org, repo);
        if (!number.matches(NUMBER) || !(found.get("id") instanceof Number id)) {
            throw WebException.notFound();
        }
        post(v, "/api/repos/" + id.longValue() + "/pipelines/" + number + "/" + decision,
                "The pipeline was not " + (decision.equals("approve") ? "approved" : "declined") + ": ");
        return redirect("/" + enc(org) + "/" + enc(repo) + "/pipelines/" + number);
    }

    private Map<String, Object> act(String org, String repo, String number, String action, String presented,
                                    HttpHeaders headers, String failure) {
        Visitor v = requireSignedIn(visitor(api, csrf, headers));
        checkCsrf(csrf, v, presented);
        repository(api, v, org, repo);
        if (!number.matches(NUMBER)) {
            throw WebException.notFound();
        }
        return post(v, repoApi(org, repo) + "/pipelines/" + number + "/" + action, failure);
    }

    /** Posts a pipeline action; a refusal is shown with the API's reason, a server failure as 503. */
    private Map<String, Object> post(Visitor v, String path, String failure) {
        Api.Answer answer = api.send(HttpMethod.POST, path, v.token(), null);
        if (!answer.ok()) {
            int s = answer.status();
            throw new WebException(s == 404 || s == 403 || s == 409 ? s : s >= 500 ? 503 : 400, failure + answer.message());
        }
        return answer.body();
    }
}
