package dev.shoal.platform.testing.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The layering every service keeps (STYLE.md), as rules each service's {@code ArchitectureTest}
 * runs on its own main classes:
 * <pre>
 * {@literal @}AnalyzeClasses(packages = "dev.shoal.repo", importOptions = ImportOption.DoNotIncludeTests.class)
 * class ArchitectureTest {
 *     {@literal @}ArchTest
 *     static final ArchTests rules = ArchTests.in(ArchitectureRules.class);
 * }
 * </pre>
 * Violations the code has today are frozen, one by one, in {@link KnownViolations}.
 */
public final class ArchitectureRules {

    /** The root package of each deployable, {@code dev.shoal.<root>}; {@code platform} is shared by all. */
    static final Set<String> SERVICE_ROOTS = Set.of("gateway", "repo", "issue", "pipeline", "webhook", "web", "agent");

    static final DescribedPredicate<JavaClass> RESOURCES =
            resideInAPackage("..rest..").or(simpleNameEndingWith("Resource")).as("resources (..rest.., *Resource)");

    static final DescribedPredicate<JavaClass> PERSISTENCE = assignableTo("io.vertx.mutiny.sqlclient.Pool")
            .or(resideInAPackage("..repository..")).or(simpleNameEndingWith("Repository"))
            .as("the database (Pool) or repositories (..repository.., *Repository)");

    /** Resources translate HTTP; services own transactions and reach the database through repositories. */
    @ArchTest
    public static final ArchRule RESOURCES_NEVER_TOUCH_THE_DATABASE = classes().that(RESOURCES)
            .should(dependOnNone(PERSISTENCE, KnownViolations::resourceTouchingTheDatabase))
            .because("only services reach the database (STYLE.md: rest -> service -> repository)")
            .allowEmptyShould(true);

    /** One domain, several mouths: a dialect adapts the native services, which never know it exists. */
    @ArchTest
    public static final ArchRule NATIVE_CODE_NEVER_DEPENDS_ON_COMPAT = classes().that().resideOutsideOfPackage("..compat..")
            .should(dependOnNone(resideInAPackage("..compat..").as("compatibility layers (..compat..)"),
                    KnownViolations::nativeDependingOnCompat))
            .because("compat packages adapt the native services and never the reverse");

    /** Services talk over HTTP and Kafka through what platform shares, never through each other's classes. */
    @ArchTest
    public static final ArchRule NO_SERVICE_USES_ANOTHER_SERVICES_CLASSES = classes()
            .that(DescribedPredicate.describe("belong to a service", c -> serviceOf(c).isPresent()))
            .should(new ArchCondition<JavaClass>("use only their own service's classes and platform's") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    String own = serviceOf(origin).orElseThrow();
                    for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                        Optional<String> other = serviceOf(dependency.getTargetClass().getBaseComponentType());
                        if (other.isPresent() && !other.get().equals(own)) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    }
                }
            })
            .because("a service's classes are its own: share through platform, talk through HTTP and events");

    private ArchitectureRules() {
    }

    /** {@code dev.shoal.<root>.…} of a service; empty for platform, libraries and the JDK. */
    static Optional<String> serviceOf(JavaClass javaClass) {
        String[] parts = javaClass.getPackageName().split("\\.");
        return parts.length >= 3 && parts[0].equals("dev") && parts[1].equals("shoal") && SERVICE_ROOTS.contains(parts[2])
                ? Optional.of(parts[2]) : Optional.empty();
    }

    /**
     * No direct dependency on a class {@code forbidden} matches, unless {@code allowed} lists the
     * pair of top-level class names (inner classes and lambdas count as their outer class).
     */
    static ArchCondition<JavaClass> dependOnNone(DescribedPredicate<JavaClass> forbidden, BiPredicate<String, String> allowed) {
        return new ArchCondition<>("not depend on " + forbidden.getDescription()) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    if (forbidden.test(target) && !allowed.test(topLevel(origin), topLevel(target))) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    static String topLevel(JavaClass javaClass) {
        String name = javaClass.getName();
        int inner = name.indexOf('$');
        return inner < 0 ? name : name.substring(0, inner);
    }
}
