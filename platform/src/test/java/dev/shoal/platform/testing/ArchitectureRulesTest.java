package dev.shoal.platform.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.shoal.issue.archfixture.IssueThing;
import dev.shoal.platform.testing.arch.ArchitectureRules;
import dev.shoal.repo.archfixture.compat.dialect.DialectAdapter;
import dev.shoal.repo.archfixture.repository.ThingRepository;
import dev.shoal.repo.archfixture.rest.LeakyResource;
import dev.shoal.repo.archfixture.service.NativeService;
import dev.shoal.repo.archfixture.service.PeekingService;
import org.junit.jupiter.api.Test;

/**
 * Each rule every service runs fails on a class that breaks it (fixtures under
 * {@code dev.shoal.repo.archfixture}, test code only) and passes on classes that keep it.
 */
class ArchitectureRulesTest {

    private static JavaClasses classes(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    @Test
    void aResourceThatTouchesThePoolOrARepositoryFails() {
        assertThatThrownBy(() -> ArchitectureRules.RESOURCES_NEVER_TOUCH_THE_DATABASE
                .check(classes(LeakyResource.class, ThingRepository.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("LeakyResource.pool> has type <io.vertx.mutiny.sqlclient.Pool>")
                .hasMessageContaining("calls method <dev.shoal.repo.archfixture.repository.ThingRepository.find()>");
        assertThatCode(() -> ArchitectureRules.RESOURCES_NEVER_TOUCH_THE_DATABASE
                .check(classes(NativeService.class, ThingRepository.class))).doesNotThrowAnyException();
    }

    @Test
    void nativeCodeThatUsesACompatClassFails() {
        assertThatThrownBy(() -> ArchitectureRules.NATIVE_CODE_NEVER_DEPENDS_ON_COMPAT
                .check(classes(NativeService.class, DialectAdapter.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("NativeService.describe(java.lang.String)> calls method "
                        + "<dev.shoal.repo.archfixture.compat.dialect.DialectAdapter.shape(java.lang.String)>");
        assertThatCode(() -> ArchitectureRules.NATIVE_CODE_NEVER_DEPENDS_ON_COMPAT
                .check(classes(DialectAdapter.class, ThingRepository.class))).doesNotThrowAnyException();
    }

    @Test
    void aServiceThatUsesAnotherServicesClassFails() {
        assertThatThrownBy(() -> ArchitectureRules.NO_SERVICE_USES_ANOTHER_SERVICES_CLASSES
                .check(classes(PeekingService.class, IssueThing.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("PeekingService.peek()> calls method <dev.shoal.issue.archfixture.IssueThing.name()>");
        assertThatCode(() -> ArchitectureRules.NO_SERVICE_USES_ANOTHER_SERVICES_CLASSES
                .check(classes(NativeService.class, DialectAdapter.class, IssueThing.class))).doesNotThrowAnyException();
    }
}
