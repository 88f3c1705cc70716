package dev.shoal.pipeline.compat.pagure.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.flag.CommitFlag;
import dev.shoal.pipeline.compat.pagure.service.PagureFlagService;
import dev.shoal.pipeline.compat.pagure.service.PagureFlagService.ShownFlag;
import dev.shoal.platform.compat.pagure.PagureException;
import dev.shoal.platform.compat.pagure.PagureInput;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Pagure API v0 commit flags ({@code /api/0/{org}/{repo}/c/{commit}/flag}) over {@link PagureFlagService}.
 * The body is read here (form-encoded as Pagure documents it, or JSON) so that any unreadable body
 * answers in Pagure's error shape.
 */
@Path("/api/0/{org}/{repo}/c/{commit}/flag")
@Produces(MediaType.APPLICATION_JSON)
public class PagureFlagResource {

    private final PagureFlagService flags;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;

    public PagureFlagResource(PagureFlagService flags, CurrentCaller caller, ObjectMapper mapper) {
        this.flags = flags;
        this.caller = caller;
        this.mapper = mapper;
    }

    @GET
    public Uni<Map<String, Object>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                         @PathParam("commit") String commit) {
        return flags.list(caller.get(), org, repo, commit).map(list -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("flags", list.stream().map(PagureFlagResource::json).toList());
            answer.put("total_flags", list.size());
            return answer;
        });
    }

    @POST
    public Uni<Map<String, Object>> save(@PathParam("org") String org, @PathParam("repo") String repo,
                                         @PathParam("commit") String commit, HttpHeaders headers, String body) {
        Caller who = caller.get();
        who.requireUserId();
        Map<String, String> in = PagureInput.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, mapper, Set.of()).asMap();
        Integer percent = null;
        String rawPercent = in.get("percent");
        if (rawPercent != null && !rawPercent.isBlank()) {
            try {
                percent = Integer.valueOf(rawPercent.strip());
            } catch (NumberFormatException e) {
                throw PagureException.invalid("percent: must be a whole number from 0 to 100");
            }
        }
        CommitFlag.NewFlag flag = new CommitFlag.NewFlag(in.get("uid"), in.get("username"), in.get("comment"), in.get("url"),
                in.get("status"), percent, who.userId(), who.login());
        return flags.save(who, org, repo, commit, flag).map(saved -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("flag", json(saved.shown()));
            answer.put("message", saved.created() ? "Flag added" : "Flag updated");
            answer.put("uid", saved.shown().flag().uid());
            return answer;
        });
    }

    static Map<String, Object> json(ShownFlag shown) {
        CommitFlag flag = shown.flag();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("comment", flag.comment());
        json.put("commit_hash", flag.commitHash());
        json.put("date_created", seconds(flag.createdAt()));
        json.put("date_updated", seconds(flag.updatedAt()));
        json.put("percent", flag.percent());
        json.put("status", flag.status());
        json.put("url", flag.url());
        Map<String, Object> user = null;
        if (flag.userLogin() != null) {
            user = new LinkedHashMap<>();
            user.put("fullname", shown.fullName());
            user.put("name", flag.userLogin());
        }
        json.put("user", user);
        json.put("username", flag.username());
        return json;
    }

    private static String seconds(Instant instant) {
        return instant == null ? null : String.valueOf(instant.getEpochSecond());
    }
}
