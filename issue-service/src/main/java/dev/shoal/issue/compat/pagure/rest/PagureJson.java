package dev.shoal.issue.compat.pagure.rest;

import dev.shoal.issue.compat.pagure.PagureIssue;
import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.user.UserProfile;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pagure's JSON shapes: unix-seconds strings for dates, {@code user} as {@code {name, fullname}}, Pagure's field names. */
final class PagureJson {

    private static final DateTimeFormatter COMMENT_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private PagureJson() {
    }

    static String date(Instant instant) {
        return instant == null ? null : String.valueOf(instant.getEpochSecond());
    }

    static String commentDate(Instant instant) {
        return instant == null ? null : COMMENT_DATE.format(instant);
    }

    static Map<String, Object> user(UserProfile profile) {
        if (profile == null) {
            return null;
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("fullname", profile.displayName() != null && !profile.displayName().isBlank() ? profile.displayName() : profile.username());
        user.put("name", profile.username());
        return user;
    }

    static Map<String, Object> issue(PagureIssue p) {
        Issue issue = p.issue();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("assignee", issue.assignees() == null || issue.assignees().isEmpty() ? null : user(issue.assignees().get(0)));
        json.put("blocks", List.of());
        boolean closed = Issue.CLOSED.equals(issue.state());
        json.put("close_status", closed ? p.extra().closeStatus() : null);
        json.put("closed_at", closed ? date(issue.closedAt()) : null);
        json.put("closed_by", closed ? user(p.closedBy()) : null);
        List<Map<String, Object>> comments = new ArrayList<>();
        if (issue.comments() != null) {
            issue.comments().forEach(c -> comments.add(comment(c)));
        }
        json.put("comments", comments);
        json.put("content", issue.body());
        List<Map<String, Object>> custom = new ArrayList<>();
        p.customFields().forEach(f -> {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("key_type", f.type());
            field.put("name", f.name());
            field.put("value", f.value());
            custom.add(field);
        });
        json.put("custom_fields", custom);
        json.put("date_created", date(issue.createdAt()));
        json.put("depends", List.of());
        json.put("id", issue.number());
        json.put("last_updated", date(issue.updatedAt()));
        json.put("milestone", issue.milestone() == null ? null : issue.milestone().title());
        json.put("priority", p.extra().priority());
        json.put("private", p.extra().isPrivate());
        json.put("status", closed ? "Closed" : "Open");
        json.put("tags", issue.labels() == null ? List.of() : issue.labels().stream().map(Issue.Label::name).toList());
        json.put("title", issue.title());
        json.put("user", user(issue.author()));
        return json;
    }

    static Map<String, Object> comment(Issue.Comment c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("comment", c.body());
        json.put("date_created", date(c.createdAt()));
        json.put("edited_on", c.updatedAt() != null && !c.updatedAt().equals(c.createdAt()) ? date(c.updatedAt()) : null);
        json.put("editor", null);
        json.put("id", c.id());
        json.put("notification", false);
        json.put("parent", null);
        json.put("reactions", Map.of());
        json.put("user", user(c.author()));
        return json;
    }

    /**
     * A person as Pagure shows the creator of a group or the author of a flag: {@link #user} with
     * {@code default_email} and {@code emails} (Shoal keeps one address per account).
     */
    static Map<String, Object> userWithEmails(UserProfile profile) {
        Map<String, Object> user = user(profile);
        if (user != null) {
            String email = profile.email() == null || profile.email().isBlank() ? null : profile.email();
            user.put("default_email", email);
            user.put("emails", email == null ? List.of() : List.of(email));
        }
        return user;
    }

    /**
     * A project as a pull request shows it ({@code project} and {@code repo_from}): Pagure's sample
     * has {@code date_created} and {@code description} in both, {@code close_status} and
     * {@code custom_keys} in {@code project}.
     */
    static Map<String, Object> project(long id, String org, String name, dev.shoal.issue.compat.pagure.PagurePull.Project facts,
                                       boolean tracker) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (tracker) {
            json.put("close_status", facts == null ? List.of() : facts.closeStatuses());
            json.put("custom_keys", facts == null ? List.of() : facts.customKeys());
        }
        json.put("date_created", facts == null ? null : date(facts.createdAt()));
        json.put("description", facts == null ? null : facts.description());
        json.put("fullname", org + "/" + name);
        json.put("id", id);
        json.put("name", name);
        json.put("namespace", org);
        json.put("parent", null);
        json.put("url_path", org + "/" + name);
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("fullname", org);
        owner.put("name", org);
        json.put("user", owner);
        return json;
    }

    static Map<String, Object> pull(dev.shoal.issue.compat.pagure.PagurePull p) {
        dev.shoal.issue.pull.PullRequest pull = p.pull();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("assignee", user(p.assignee()));
        json.put("branch", pull.targetBranch());
        json.put("branch_from", pull.sourceBookmark());
        json.put("cached_merge_status", "unknown");
        Instant closedAt = pull.mergedAt() != null ? pull.mergedAt() : pull.closedAt();
        json.put("closed_at", "open".equals(pull.status()) ? null : date(closedAt));
        json.put("closed_by", "merged".equals(pull.status()) ? user(pull.mergedBy()) : "closed".equals(pull.status()) ? user(p.closedBy()) : null);
        List<Map<String, Object>> comments = new ArrayList<>();
        if (pull.comments() != null) {
            pull.comments().forEach(c -> {
                Map<String, Object> general = comment(c);
                general.put("commit", null);
                general.put("filename", null);
                general.put("line", null);
                general.put("tree", null);
                comments.add(general);
            });
        }
        p.inlineComments().forEach(c -> {
            Map<String, Object> inline = new LinkedHashMap<>();
            inline.put("comment", c.body());
            inline.put("commit", c.commitSha());
            inline.put("date_created", date(c.createdAt()));
            inline.put("edited_on", null);
            inline.put("editor", null);
            inline.put("filename", c.path());
            inline.put("id", c.id());
            inline.put("line", c.line());
            inline.put("notification", false);
            inline.put("parent", null);
            inline.put("reactions", Map.of());
            inline.put("tree", null);
            inline.put("user", user(c.author()));
            comments.add(inline);
        });
        comments.sort(java.util.Comparator.comparing(c -> String.valueOf(c.get("date_created"))));
        json.put("comments", comments);
        json.put("commit_start", p.commitStart());
        json.put("commit_stop", pull.headSha());
        json.put("date_created", date(pull.createdAt()));
        json.put("id", pull.number());
        json.put("initial_comment", pull.body() == null || pull.body().isEmpty() ? null : pull.body());
        json.put("last_updated", date(pull.updatedAt()));
        json.put("project", project(p.extra().repoId(), p.extra().org(), p.extra().repo(), p.project(), true));
        json.put("remote_git", null);
        json.put("repo_from", project(p.extra().repoId(), p.extra().org(), p.extra().repo(), p.project(), false));
        json.put("status", switch (pull.status()) {
            case "merged" -> "Merged";
            case "closed" -> "Closed";
            default -> "Open";
        });
        json.put("tags", List.of());
        json.put("threshold_reached", null);
        json.put("title", pull.title());
        json.put("uid", p.extra().uid());
        json.put("updated_on", date(pull.updatedAt()));
        json.put("user", user(pull.author()));
        return json;
    }

    static Map<String, Object> flag(dev.shoal.issue.compat.pagure.client.CommitFlags.Flag f, UserProfile user, String pullUid) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("comment", f.comment());
        if (pullUid == null) {
            json.put("commit_hash", f.commitHash());
        }
        json.put("date_created", date(f.createdAt()));
        json.put("date_updated", date(f.updatedAt()));
        json.put("percent", f.percent());
        if (pullUid != null) {
            json.put("pull_request_uid", pullUid);
        }
        json.put("status", f.status());
        json.put("url", f.url());
        json.put("user", userWithEmails(user != null ? user : UserProfile.fallback(f.userId(), f.userLogin())));
        json.put("username", f.username());
        return json;
    }
}
