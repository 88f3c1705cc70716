package dev.shoal.pipeline.config;

/** One alternative of a {@code when} filter: every non-empty constraint must match. */
public record WhenClause(Constraint branch, Constraint event, Constraint status) {

    public static final WhenClause ANY = new WhenClause(Constraint.ANY, Constraint.ANY, Constraint.ANY);

    /** Branch and event; the branch filter does not apply to tag pipelines, which have no branch. */
    public boolean matchesTrigger(String event, String branch) {
        return event(event) && ("tag".equals(event) || this.branch.matches(branch));
    }

    private boolean event(String event) {
        return this.event.matches(event);
    }
}
