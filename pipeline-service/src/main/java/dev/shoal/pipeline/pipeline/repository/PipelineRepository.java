package dev.shoal.pipeline.pipeline.repository;

import dev.shoal.pipeline.config.CompiledStep;
import dev.shoal.pipeline.pipeline.CommitFacts;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.Trigger;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for pipelines and steps. Callers pass the connection, so services decide the transaction. */
@ApplicationScoped
public class PipelineRepository {

    public static final String PIPELINE_COLUMNS = "id, repo_id, number, commit_node, branch, ref, event, status, error, "
            + "config_file, fork, trigger_by, trigger_username, labels, platform, agent_id, created_at, started_at, finished_at, "
            + "variables, parent, reviewed_by, reviewed_at, pull_request, target_branch, title, commit_message, author_name, "
            + "author_email, commit_time";
    public static final String STEP_COLUMNS = "id, pipeline_id, number, name, image, commands, environment, secrets, depends_on, "
            + "run_on, status, exit_code, started_at, finished_at";

    /** The next number of the repository's pipelines; the row lock serializes concurrent triggers. */
    public Uni<Integer> nextNumber(SqlClient tx, long repoId) {
        return tx.preparedQuery("INSERT INTO pipeline_counter (repo_id, last_number) VALUES ($1, 1) "
                        + "ON CONFLICT (repo_id) DO UPDATE SET last_number = pipeline_counter.last_number + 1 RETURNING last_number")
                .execute(Tuple.of(repoId))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    public Uni<PipelineRow> insert(SqlClient tx, long repoId, int number, Trigger trigger, String status, String error,
                                   String configFile, Map<String, String> labels, String platform) {
        Trigger.PullRequestRef pr = trigger.pullRequest();
        CommitFacts facts = trigger.commitFacts();
        return tx.preparedQuery("INSERT INTO pipeline (repo_id, number, commit_node, branch, ref, event, status, error, "
                        + "config_file, fork, trigger_by, trigger_username, labels, platform, variables, parent, finished_at, "
                        + "pull_request, target_branch, title, commit_message, author_name, author_email, commit_time) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
                        + "CASE WHEN $7 = 'error' THEN now() END, $17, $18, $19, $20, $21, $22, $23) RETURNING " + PIPELINE_COLUMNS)
                .execute(Tuple.from(new Object[] {repoId, number, trigger.commit(), trigger.branch(), trigger.ref(),
                        trigger.event(), status, error, configFile, trigger.fork(), trigger.userId(), trigger.username(),
                        new JsonObject(new LinkedHashMap<>(labels)), platform,
                        new JsonObject(new LinkedHashMap<>(trigger.variables())), trigger.parent(),
                        pr == null ? null : pr.number(), pr == null ? null : pr.targetBranch(),
                        pr == null ? null : pr.title(), facts.message(), facts.authorName(), facts.authorEmail(),
                        offset(facts.timestamp())}))
                .map(rows -> pipeline(rows.iterator().next()));
    }

    public Uni<Void> insertSteps(SqlClient tx, long pipelineId, List<CompiledStep> steps) {
        if (steps.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        for (CompiledStep step : steps) {
            batch.add(Tuple.from(new Object[] {pipelineId, step.number(), step.name(), step.image(),
                    new JsonArray(step.commands()), new JsonObject(new LinkedHashMap<>(step.environment())),
                    new JsonObject(new LinkedHashMap<>(step.secrets())), new JsonArray(step.dependsOn()),
                    new JsonArray(step.runOn())}));
        }
        return tx.preparedQuery("INSERT INTO step (pipeline_id, number, name, image, commands, environment, secrets, "
                        + "depends_on, run_on, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    public Uni<Optional<PipelineRow>> byId(SqlClient client, long id, boolean lock) {
        return client.preparedQuery("SELECT " + PIPELINE_COLUMNS + " FROM pipeline WHERE id = $1" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id))
                .map(PipelineRepository::firstPipeline);
    }

    public Uni<Optional<PipelineRow>> byNumber(SqlClient client, long repoId, long number, boolean lock) {
        return client.preparedQuery("SELECT " + PIPELINE_COLUMNS + " FROM pipeline WHERE repo_id = $1 AND number = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(repoId, number))
                .map(PipelineRepository::firstPipeline);
    }

    public Uni<List<PipelineRow>> list(SqlClient client, long repoId, String status, int limit, long offset) {
        return list(client, repoId, PipelineFilter.status(status), limit, offset);
    }

    public Uni<Long> count(SqlClient client, long repoId, String status) {
        return count(client, repoId, PipelineFilter.status(status));
    }

    private static final String FILTER = "repo_id = $1 AND ($2::text IS NULL OR status = $2) "
            + "AND ($3::text IS NULL OR branch = $3) AND ($4::text IS NULL OR event = $4) AND ($5::text IS NULL OR ref = $5) "
            + "AND ($6::timestamptz IS NULL OR created_at < $6) AND ($7::timestamptz IS NULL OR created_at > $7)";

    private static Tuple filterTuple(long repoId, PipelineFilter f) {
        return Tuple.from(new Object[] {repoId, f.status(), f.branch(), f.event(), f.ref(), offset(f.before()),
                offset(f.after())});
    }

    public Uni<List<PipelineRow>> list(SqlClient client, long repoId, PipelineFilter filter, int limit, long offset) {
        Tuple args = filterTuple(repoId, filter);
        args.addInteger(limit).addLong(offset);
        return client.preparedQuery("SELECT " + PIPELINE_COLUMNS + " FROM pipeline WHERE " + FILTER
                        + " ORDER BY number DESC LIMIT $8 OFFSET $9")
                .execute(args)
                .map(PipelineRepository::pipelines);
    }

    public Uni<Long> count(SqlClient client, long repoId, PipelineFilter filter) {
        return client.preparedQuery("SELECT count(*) FROM pipeline WHERE " + FILTER)
                .execute(filterTuple(repoId, filter))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Pipelines of every repository, newest first (the site admin's overview). */
    public Uni<List<PipelineRow>> listAll(SqlClient client, PipelineFilter filter, int limit, long offset) {
        return client.preparedQuery("SELECT " + PIPELINE_COLUMNS + " FROM pipeline WHERE ($1::text IS NULL OR status = $1) "
                        + "AND ($2::timestamptz IS NULL OR created_at < $2) AND ($3::timestamptz IS NULL OR created_at > $3) "
                        + "ORDER BY id DESC LIMIT $4 OFFSET $5")
                .execute(Tuple.from(new Object[] {filter.status(), offset(filter.before()), offset(filter.after()), limit, offset}))
                .map(PipelineRepository::pipelines);
    }

    /** The newest pipeline of a branch (any branch when null). */
    public Uni<Optional<PipelineRow>> latest(SqlClient client, long repoId, String branch) {
        return client.preparedQuery("SELECT " + PIPELINE_COLUMNS + " FROM pipeline WHERE repo_id = $1 "
                        + "AND ($2::text IS NULL OR branch = $2) ORDER BY number DESC LIMIT 1")
                .execute(Tuple.of(repoId, branch))
                .map(PipelineRepository::firstPipeline);
    }

    /** The first (not restarted) push or tag pipeline of {@code ref} at {@code commit}, if any. */
    public Uni<Optional<PipelineRow>> firstOfPush(SqlClient client, long repoId, String ref, String commit) {
        return client.preparedQuery("SELECT " + PIPELINE_COLUMNS + " FROM pipeline WHERE repo_id = $1 AND ref = $2 "
                        + "AND commit_node = $3 AND event IN ('push', 'tag') AND parent = 0 ORDER BY number LIMIT 1")
                .execute(Tuple.of(repoId, ref, commit))
                .map(PipelineRepository::firstPipeline);
    }

    /** Whether a first (not restarted) pipeline of pull request {@code number} at {@code commit} exists. */
    public Uni<Boolean> hasPullRequestPipeline(SqlClient client, long repoId, int number, String commit) {
        return client.preparedQuery("SELECT 1 FROM pipeline WHERE repo_id = $1 AND pull_request = $2 AND commit_node = $3 "
                        + "AND event = 'pull_request' AND parent = 0")
                .execute(Tuple.of(repoId, number, commit))
                .map(rows -> rows.size() > 0);
    }

    /** Running pipelines, optionally of one agent. */
    public Uni<List<PipelineRow>> running(SqlClient client, Long agentId) {
        return client.preparedQuery("SELECT " + PIPELINE_COLUMNS + " FROM pipeline WHERE status = 'running' "
                        + "AND ($1::bigint IS NULL OR agent_id = $1) ORDER BY id")
                .execute(Tuple.of(agentId))
                .map(PipelineRepository::pipelines);
    }

    /** Sets the status of a blocked pipeline after review: pending (approved) or declined (with its steps skipped). */
    public Uni<Void> review(SqlClient tx, long pipelineId, String status, String reviewer) {
        boolean declined = "declined".equals(status);
        return tx.preparedQuery("UPDATE pipeline SET status = $2, reviewed_by = $3, reviewed_at = now(), "
                        + "finished_at = CASE WHEN $2 = 'declined' THEN now() END WHERE id = $1")
                .execute(Tuple.of(pipelineId, status, reviewer))
                .chain(() -> declined
                        ? tx.preparedQuery("UPDATE step SET status = 'skipped' WHERE pipeline_id = $1 AND status = 'pending'")
                                .execute(Tuple.of(pipelineId)).replaceWithVoid()
                        : Uni.createFrom().voidItem());
    }

    /** Deletes a pipeline with its steps and logs (cascade). */
    public Uni<Boolean> delete(SqlClient tx, long pipelineId) {
        return tx.preparedQuery("DELETE FROM pipeline WHERE id = $1").execute(Tuple.of(pipelineId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The end of the step's log held back from the last append (see LogMask); empty when none. */
    public Uni<byte[]> logCarry(SqlClient tx, long stepId) {
        return tx.preparedQuery("SELECT log_carry FROM step WHERE id = $1").execute(Tuple.of(stepId))
                .map(rows -> {
                    var carry = rows.size() == 0 ? null : rows.iterator().next().getBuffer(0);
                    return carry == null ? new byte[0] : carry.getBytes();
                });
    }

    /** Stores a masked chunk at the end of the step's log and what it holds back for the next append. */
    public Uni<Void> appendLog(SqlClient tx, long stepId, byte[] stored, byte[] carry) {
        Buffer held = carry.length == 0 ? null : Buffer.buffer(carry);
        if (stored.length == 0) {
            return tx.preparedQuery("UPDATE step SET log_carry = $2 WHERE id = $1").execute(Tuple.of(stepId, held)).replaceWithVoid();
        }
        return tx.preparedQuery("UPDATE step SET log_size = log_size + $2, log_chunks = log_chunks + 1, log_carry = $3 "
                        + "WHERE id = $1 RETURNING log_size - $2 AS byte_offset, log_chunks - 1 AS seq")
                .execute(Tuple.of(stepId, (long) stored.length, held))
                .chain(rows -> {
                    Row r = rows.iterator().next();
                    return tx.preparedQuery("INSERT INTO log_chunk (step_id, seq, byte_offset, bytes) VALUES ($1, $2, $3, $4)")
                            .execute(Tuple.of(stepId, r.getInteger("seq"), r.getLong("byte_offset"), Buffer.buffer(stored)));
                })
                .replaceWithVoid();
    }

    /**
     * Stores the held-back ends of the logs of a pipeline's steps (one step when {@code stepId} is set) as
     * they are: once a step has finished no append can complete a secret in them.
     */
    public Uni<Void> flushLogCarry(SqlClient tx, long pipelineId, Long stepId) {
        String steps = "pipeline_id = $1 AND ($2::bigint IS NULL OR id = $2) AND log_carry IS NOT NULL";
        return tx.preparedQuery("INSERT INTO log_chunk (step_id, seq, byte_offset, bytes) "
                        + "SELECT id, log_chunks, log_size, log_carry FROM step WHERE " + steps)
                .execute(Tuple.of(pipelineId, stepId))
                .chain(() -> tx.preparedQuery("UPDATE step SET log_size = log_size + length(log_carry), "
                                + "log_chunks = log_chunks + 1, log_carry = NULL WHERE " + steps)
                        .execute(Tuple.of(pipelineId, stepId)))
                .replaceWithVoid();
    }

    /** Drops the stored log of one step, or of every step of a pipeline when {@code stepId} is null. */
    public Uni<Void> deleteLogs(SqlClient tx, long pipelineId, Long stepId) {
        return tx.preparedQuery("DELETE FROM log_chunk WHERE step_id IN (SELECT id FROM step WHERE pipeline_id = $1 "
                        + "AND ($2::bigint IS NULL OR id = $2))")
                .execute(Tuple.of(pipelineId, stepId))
                .chain(() -> tx.preparedQuery("UPDATE step SET log_size = 0, log_chunks = 0, log_carry = NULL WHERE pipeline_id = $1 "
                                + "AND ($2::bigint IS NULL OR id = $2)")
                        .execute(Tuple.of(pipelineId, stepId)))
                .replaceWithVoid();
    }

    private static List<PipelineRow> pipelines(RowSet<Row> rows) {
        List<PipelineRow> list = new ArrayList<>();
        rows.forEach(r -> list.add(pipeline(r)));
        return list;
    }

    public Uni<List<StepRow>> steps(SqlClient client, long pipelineId) {
        return client.preparedQuery("SELECT " + STEP_COLUMNS + " FROM step WHERE pipeline_id = $1 ORDER BY number")
                .execute(Tuple.of(pipelineId))
                .map(rows -> {
                    List<StepRow> list = new ArrayList<>();
                    rows.forEach(r -> list.add(step(r)));
                    return list;
                });
    }

    public Uni<Optional<StepRow>> step(SqlClient client, long stepId, boolean lock) {
        return client.preparedQuery("SELECT " + STEP_COLUMNS + " FROM step WHERE id = $1" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(stepId))
                .map(rows -> rows.size() == 0 ? Optional.<StepRow>empty() : Optional.of(step(rows.iterator().next())));
    }

    public Uni<Optional<StepRow>> stepByNumber(SqlClient client, long pipelineId, long number) {
        return client.preparedQuery("SELECT " + STEP_COLUMNS + " FROM step WHERE pipeline_id = $1 AND number = $2")
                .execute(Tuple.of(pipelineId, number))
                .map(rows -> rows.size() == 0 ? Optional.<StepRow>empty() : Optional.of(step(rows.iterator().next())));
    }

    /** Cancels a pending or running pipeline and its unfinished steps; an agent holding it learns on its next heartbeat. */
    public Uni<Void> cancel(SqlClient tx, long pipelineId) {
        return tx.preparedQuery("UPDATE pipeline SET status = 'cancelled', finished_at = now(), lease_expires_at = NULL, "
                        + "cancel_delivered = (agent_id IS NULL) WHERE id = $1")
                .execute(Tuple.of(pipelineId))
                .chain(() -> tx.preparedQuery("UPDATE step SET status = 'cancelled', "
                                + "finished_at = CASE WHEN status = 'running' THEN now() END "
                                + "WHERE pipeline_id = $1 AND status IN ('pending', 'running')")
                        .execute(Tuple.of(pipelineId)))
                .chain(() -> flushLogCarry(tx, pipelineId, null));
    }

    /** Puts a pipeline back in the queue: steps pending again, their partial logs dropped. */
    public Uni<Void> requeue(SqlClient tx, long pipelineId) {
        return tx.preparedQuery("UPDATE pipeline SET status = 'pending', agent_id = NULL, lease_expires_at = NULL, "
                        + "started_at = NULL, cancel_delivered = true WHERE id = $1")
                .execute(Tuple.of(pipelineId))
                .chain(() -> tx.preparedQuery("DELETE FROM log_chunk WHERE step_id IN (SELECT id FROM step WHERE pipeline_id = $1)")
                        .execute(Tuple.of(pipelineId)))
                .chain(() -> tx.preparedQuery("UPDATE step SET status = 'pending', exit_code = NULL, started_at = NULL, "
                                + "finished_at = NULL, log_size = 0, log_chunks = 0, log_carry = NULL WHERE pipeline_id = $1")
                        .execute(Tuple.of(pipelineId)))
                .replaceWithVoid();
    }

    private static Optional<PipelineRow> firstPipeline(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(pipeline(rows.iterator().next()));
    }

    public static PipelineRow pipeline(Row r) {
        return new PipelineRow(r.getLong("id"), r.getLong("repo_id"), r.getInteger("number"), r.getString("commit_node"),
                r.getString("branch"), r.getString("ref"), r.getString("event"), r.getString("status"), r.getString("error"),
                r.getString("config_file"), r.getBoolean("fork"), r.getLong("trigger_by"), r.getString("trigger_username"),
                stringMap(r.getJsonObject("labels")), r.getString("platform"), r.getLong("agent_id"),
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("started_at")),
                instant(r.getOffsetDateTime("finished_at")), stringMap(r.getJsonObject("variables")),
                r.getInteger("parent"), r.getString("reviewed_by"), instant(r.getOffsetDateTime("reviewed_at")),
                r.getInteger("pull_request"), r.getString("target_branch"), r.getString("title"),
                new CommitFacts(r.getString("commit_message"), r.getString("author_name"), r.getString("author_email"),
                        instant(r.getOffsetDateTime("commit_time"))));
    }

    public static StepRow step(Row r) {
        return new StepRow(r.getLong("id"), r.getLong("pipeline_id"), r.getInteger("number"), r.getString("name"),
                r.getString("image"), stringList(r.getJsonArray("commands")), stringMap(r.getJsonObject("environment")),
                stringMap(r.getJsonObject("secrets")), stringList(r.getJsonArray("depends_on")),
                stringList(r.getJsonArray("run_on")), r.getString("status"), r.getInteger("exit_code"),
                instant(r.getOffsetDateTime("started_at")), instant(r.getOffsetDateTime("finished_at")));
    }

    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    public static OffsetDateTime offset(Instant time) {
        return time == null ? null : time.atOffset(ZoneOffset.UTC);
    }

    static List<String> stringList(JsonArray array) {
        List<String> list = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> list.add(String.valueOf(v)));
        }
        return list;
    }

    static Map<String, String> stringMap(JsonObject object) {
        Map<String, String> map = new LinkedHashMap<>();
        if (object != null) {
            object.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return map;
    }
}
