package dev.shoal.pipeline.compat.drone.service;

import dev.shoal.pipeline.compat.drone.DroneViews.CronRequest;
import dev.shoal.pipeline.compat.drone.DroneViews.DroneCron;
import dev.shoal.pipeline.compat.drone.DroneViews.DroneSecret;
import dev.shoal.pipeline.compat.drone.DroneViews.SecretRequest;
import dev.shoal.pipeline.compat.drone.DroneWords;
import dev.shoal.pipeline.cron.Cron;
import dev.shoal.pipeline.cron.service.CronService;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.secret.Secret;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Drone's repository secrets and cron jobs over Shoal's secret and cron services. Drone names both
 * by name in paths; Drone's secret flags become Shoal's event lists; Drone's six-field cron
 * expressions (seconds first) become Shoal's five fields.
 */
@ApplicationScoped
public class DroneSecretCronService {

    /** The events a Drone secret reaches: all but pull requests, unless it says so. */
    static final List<String> BASE_EVENTS = List.of("push", "tag", "cron", "manual");

    private final SecretService secrets;
    private final CronService crons;
    private final RepoDirectory repos;

    public DroneSecretCronService(SecretService secrets, CronService crons, RepoDirectory repos) {
        this.secrets = secrets;
        this.crons = crons;
        this.repos = repos;
    }

    // --- secrets ----------------------------------------------------------------------------------

    public Uni<List<DroneSecret>> secrets(Caller caller, String org, String name) {
        return secrets.repoOwner(caller, org, name).chain(owner -> secrets.list(owner)
                .map(list -> list.stream().map(s -> secret(owner.id(), s)).toList()));
    }

    public Uni<DroneSecret> secret(Caller caller, String org, String name, String secretName) {
        return secrets.repoOwner(caller, org, name).chain(owner -> find(owner, secretName).map(s -> secret(owner.id(), s)));
    }

    public Uni<DroneSecret> createSecret(Caller caller, String org, String name, SecretRequest body) {
        if (body == null) {
            throw new ValidationException("send {\"name\": \"…\", \"data\": \"…\"}");
        }
        if (body.data() == null) {
            throw new ValidationException("data is required: the secret's value");
        }
        noForkPushes(body.pullRequestPush());
        return secrets.repoOwner(caller, org, name).chain(owner -> secrets
                .create(owner, body.name(), body.data(), events(BASE_EVENTS, body.pullRequest()))
                .map(s -> secret(owner.id(), s)));
    }

    public Uni<DroneSecret> updateSecret(Caller caller, String org, String name, String secretName, SecretRequest body) {
        if (body == null) {
            throw new ValidationException("send the fields to change: data and/or pull_request");
        }
        if (body.name() != null && !body.name().equals(secretName)) {
            throw new ValidationException("a secret cannot be renamed: create one named '" + body.name() + "' instead");
        }
        noForkPushes(body.pullRequestPush());
        return secrets.repoOwner(caller, org, name).chain(owner -> find(owner, secretName).chain(current -> secrets
                .update(owner, secretName, body.data(), body.pullRequest() == null ? (body.data() == null ? current.events() : null)
                        : events(current.events(), body.pullRequest()))
                .map(s -> secret(owner.id(), s))));
    }

    public Uni<Void> deleteSecret(Caller caller, String org, String name, String secretName) {
        return secrets.repoOwner(caller, org, name).chain(owner -> secrets.delete(owner, secretName));
    }

    private Uni<Secret> find(SecretService.Owner owner, String secretName) {
        return secrets.list(owner).map(list -> list.stream().filter(s -> s.name().equals(secretName)).findFirst()
                .orElseThrow(() -> new NotFoundException("secret '" + secretName + "' not found in " + owner.label())));
    }

    private static DroneSecret secret(long repoId, Secret s) {
        return new DroneSecret(repoId, s.name(), s.events().contains("pull_request"), false, s.events());
    }

    private static List<String> events(List<String> base, Boolean pullRequest) {
        List<String> out = new ArrayList<>(base);
        out.remove("pull_request");
        if (Boolean.TRUE.equals(pullRequest)) {
            out.add("pull_request");
        }
        return out;
    }

    private static void noForkPushes(Boolean pullRequestPush) {
        if (Boolean.TRUE.equals(pullRequestPush)) {
            throw new ValidationException("pull_request_push cannot be enabled: secrets never reach pull requests "
                    + "from forks on Shoal");
        }
    }

    // --- cron -------------------------------------------------------------------------------------

    public Uni<List<DroneCron>> crons(Caller caller, String org, String name) {
        return repos.require(org, name, caller.repoId()).chain(repo -> crons.list(caller, org, name)
                .map(list -> list.stream().map(c -> cron(repo.id(), c)).toList()));
    }

    public Uni<DroneCron> cron(Caller caller, String org, String name, String cronName) {
        return repos.require(org, name, caller.repoId()).chain(repo -> findCron(caller, org, name, cronName)
                .map(c -> cron(repo.id(), c)));
    }

    public Uni<DroneCron> createCron(Caller caller, String org, String name, CronRequest body) {
        if (body == null) {
            throw new ValidationException("send {\"name\": \"nightly\", \"expr\": \"0 0 2 * * *\", \"branch\": \"main\"}");
        }
        checkCronFields(body);
        if (body.expr() == null) {
            throw new ValidationException("expr is required, e.g. \"0 0 2 * * *\" or \"@daily\"");
        }
        String schedule = schedule(body.expr());
        return repos.require(org, name, caller.repoId()).chain(repo -> crons
                .create(caller, org, name, body.name(), schedule, blankToNull(body.branch()))
                .map(c -> cron(repo.id(), c)));
    }

    public Uni<DroneCron> updateCron(Caller caller, String org, String name, String cronName, CronRequest body) {
        if (body == null) {
            throw new ValidationException("send the fields to change: name, expr and/or branch");
        }
        checkCronFields(body);
        String schedule = body.expr() == null ? null : schedule(body.expr());
        return repos.require(org, name, caller.repoId()).chain(repo -> findCron(caller, org, name, cronName)
                .chain(c -> crons.update(caller, org, name, String.valueOf(c.id()), body.name(), schedule,
                        blankToNull(body.branch())))
                .map(c -> cron(repo.id(), c)));
    }

    public Uni<Void> deleteCron(Caller caller, String org, String name, String cronName) {
        return findCron(caller, org, name, cronName).chain(c -> crons.delete(caller, org, name, String.valueOf(c.id())));
    }

    private Uni<Cron> findCron(Caller caller, String org, String name, String cronName) {
        return crons.list(caller, org, name).map(list -> list.stream().filter(c -> c.name().equals(cronName)).findFirst()
                .orElseThrow(() -> new NotFoundException("cron '" + cronName + "' not found in " + org + "/" + name)));
    }

    private static void checkCronFields(CronRequest body) {
        if (Boolean.TRUE.equals(body.disabled())) {
            throw new ValidationException("disabled cron jobs are not supported: delete the cron job instead");
        }
        if (body.target() != null && !body.target().isBlank()) {
            throw new ValidationException("target (deployment) cron jobs are not supported: leave target empty");
        }
        if (body.event() != null && !body.event().isBlank() && !body.event().equals("push")) {
            throw new ValidationException("event must be push (cron builds run the branch's head)");
        }
    }

    /** Drone's expressions carry seconds first; Shoal schedules by the minute, so the seconds must be 0. */
    static String schedule(String expr) {
        String trimmed = expr.strip();
        String[] fields = trimmed.split("\\s+");
        if (fields.length == 6) {
            if (!fields[0].equals("0")) {
                throw new ValidationException("expr must start with seconds 0 (schedules run by the minute), got '"
                        + (trimmed.length() > 40 ? trimmed.substring(0, 40) + "…" : trimmed) + "'");
            }
            return String.join(" ", java.util.Arrays.copyOfRange(fields, 1, 6));
        }
        return trimmed;
    }

    static String expr(String schedule) {
        return schedule.startsWith("@") ? schedule : "0 " + schedule;
    }

    private static DroneCron cron(long repoId, Cron c) {
        return new DroneCron(c.id(), repoId, c.name(), expr(c.schedule()), DroneWords.unix(c.nextRunAt()),
                DroneWords.unix(c.lastRunAt()), "push", c.branch() == null ? "" : c.branch(), "", false,
                DroneWords.unix(c.createdAt()), DroneWords.unix(c.updatedAt()), 1);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
