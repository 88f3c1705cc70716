package dev.shoal.repo.archfixture.compat.dialect;

/** Test fixture for {@code ArchitectureRulesTest}: a compatibility dialect's class. */
public class DialectAdapter {

    public static String shape(String value) {
        return "[" + value + "]";
    }
}
