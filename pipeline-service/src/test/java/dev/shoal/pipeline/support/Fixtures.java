package dev.shoal.pipeline.support;

import static io.restassured.RestAssured.given;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.testing.InternalKeys;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Repositories, tokens and agents for the pipeline-service tests. */
@ApplicationScoped
public class Fixtures {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 100);

    private final RepoDirectory directory;
    private final Pool pool;
    private final InternalTokens tokens;

    public Fixtures(RepoDirectory directory, Pool pool, InternalTokens tokens) {
        this.directory = directory;
        this.pool = pool;
        this.tokens = tokens;
    }

    public record AgentCreds(long id, String token) {
    }

    /** A repository known to the service (as repo.created would make it) with a real bare git repository. */
    public Repo repo(String org, String name) {
        Repo repo = new Repo(IDS.incrementAndGet(), 77L, org, name, false, "main");
        GitRepos.create(repo);
        pool.withTransaction(tx -> directory.upsert(tx, repo)).await().atMost(Duration.ofSeconds(10));
        return repo;
    }

    /** A pipeline file whose pipelines only agents with label {@code suite} take, so test classes do not share work. */
    public static String shoalYml(String suite, String steps) {
        return "labels:\n  suite: " + suite + "\nsteps:\n" + steps;
    }

    /** The gateway's own minting code and test key: tokens exactly as the gateway forwards them (ADR 0006). */
    public static final InternalTokens GATEWAY = new InternalTokens(
            java.util.Optional.of(InternalKeys.shared().privatePem("api-gateway").toString()), "api-gateway");

    public static String userToken() {
        return InternalKeys.shared().userToken(5, "chris", List.of("read", "write", "admin"), 77L, null, "owner");
    }

    public static RequestSpecification asUser() {
        return given().auth().oauth2(userToken());
    }

    public RequestSpecification asAgent(String agentToken) {
        String internal = GATEWAY.forCaller(new Caller("agent", null, null, false, Set.of(), null, null, Caller.NONE), "pipeline");
        RequestSpecification spec = given().auth().oauth2(internal);
        return agentToken == null ? spec : spec.header("X-Shoal-Agent-Token", agentToken);
    }

    public String internalAgentJwt() {
        return GATEWAY.forCaller(new Caller("agent", null, null, false, Set.of(), null, null, Caller.NONE), "pipeline");
    }

    public static AgentCreds registerAgent(String name, Map<String, String> labels) {
        var body = asUser().contentType(ContentType.JSON).body(Map.of("name", name, "labels", labels))
                .post("/api/v1/admin/agents").then().statusCode(201).extract().jsonPath();
        return new AgentCreds(body.getLong("data.id"), body.getString("data.token"));
    }

    public static int trigger(Repo repo, String branch) {
        return asUser().contentType(ContentType.JSON).body(branch == null ? Map.of() : Map.of("branch", branch))
                .post("/api/v1/repos/" + repo.org() + "/" + repo.name() + "/pipelines")
                .then().statusCode(201).extract().path("number");
    }

    public Pool pool() {
        return pool;
    }
}
