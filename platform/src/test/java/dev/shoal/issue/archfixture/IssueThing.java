package dev.shoal.issue.archfixture;

/** Test fixture for {@code ArchitectureRulesTest}: a class of issue-service. */
public class IssueThing {

    public static final String NAME = "issue";

    public static String name() {
        return NAME;
    }
}
