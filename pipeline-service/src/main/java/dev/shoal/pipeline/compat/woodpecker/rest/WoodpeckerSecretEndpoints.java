package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.RegistryView;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.SecretView;
import dev.shoal.pipeline.registry.service.RegistryService;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.pipeline.secret.service.SecretService.Owner;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Supplier;

/**
 * Secrets and registries of a repository, an organization or the server, as the Woodpecker
 * resources of each scope serve them. Values and passwords go in, never out: answers carry them empty.
 */
@ApplicationScoped
public class WoodpeckerSecretEndpoints {

    /** Woodpecker's Secret body; {@code id}, {@code org_id} and {@code repo_id} are ignored (the path decides). */
    public record SecretBody(Long id, @com.fasterxml.jackson.annotation.JsonProperty("org_id") Long orgId,
                             @com.fasterxml.jackson.annotation.JsonProperty("repo_id") Long repoId, String name,
                             String value, List<String> images, List<String> events) {
    }

    /** Woodpecker's Registry body; {@code readonly} registries do not exist in Shoal. */
    public record RegistryBody(Long id, @com.fasterxml.jackson.annotation.JsonProperty("org_id") Long orgId,
                               @com.fasterxml.jackson.annotation.JsonProperty("repo_id") Long repoId, String address,
                               String username, String password, Boolean readonly) {
    }

    private final WoodpeckerSupport support;
    private final SecretService secrets;
    private final RegistryService registries;

    public WoodpeckerSecretEndpoints(WoodpeckerSupport support, SecretService secrets, RegistryService registries) {
        this.support = support;
        this.secrets = secrets;
        this.registries = registries;
    }

    SecretService secrets() {
        return secrets;
    }

    RegistryService registries() {
        return registries;
    }

    Uni<Owner> repo(String repoId) {
        return support.repo(repoId).map(r -> new Owner("repo", r.id(), r.org(), "repository " + r.fullName()));
    }
    Uni<Owner> org(String orgId) {
        return Uni.createFrom().item(() -> support.org(orgId));
    }
    Uni<Owner> global() {
        return Uni.createFrom().item(SecretService.globalOwner());
    }
    Uni<List<SecretView>> listSecrets(Uni<Owner> owner, PageRequest page) {
        return owner.chain(secrets::details).map(list -> list.stream().skip(page.offset()).limit(page.perPage())
                .map(SecretView::of).toList());
    }
    Uni<SecretView> createSecret(Uni<Owner> owner, SecretBody body) {
        SecretBody b = require(body, () -> "send a JSON object with 'name', 'value' and optionally 'events' and 'images'");
        return owner.chain(o -> secrets.create(o, b.name(), b.value(), b.events(), b.images())).map(SecretView::of);
    }
    Uni<SecretView> updateSecret(Uni<Owner> owner, String name, SecretBody body) {
        SecretBody b = require(body, () -> "send a JSON object with 'value', 'events' and/or 'images'");
        if (b.name() != null && !b.name().equals(name)) {
            throw new ValidationException("a secret cannot be renamed: delete it and create '" + b.name() + "'");
        }
        // Woodpecker's UI sends the whole secret back with an empty value when the value is unchanged.
        String value = b.value() == null || b.value().isEmpty() ? null : b.value();
        if (value == null && b.events() == null && b.images() == null) {
            return owner.chain(o -> secrets.detail(o, name)).map(SecretView::of);
        }
        return owner.chain(o -> secrets.update(o, name, value, b.events(), b.images())).map(SecretView::of);
    }
    Uni<List<RegistryView>> listRegistries(Uni<Owner> owner, PageRequest page) {
        return owner.chain(registries::list).map(list -> list.stream().skip(page.offset()).limit(page.perPage())
                .map(RegistryView::of).toList());
    }
    Uni<RegistryView> createRegistry(Uni<Owner> owner, RegistryBody body) {
        RegistryBody b = require(body, () -> "send a JSON object with 'address', 'username' and 'password'");
        rejectReadonly(b);
        return owner.chain(o -> registries.create(o, b.address(), b.username(), b.password())).map(RegistryView::of);
    }
    Uni<RegistryView> updateRegistry(Uni<Owner> owner, String address, RegistryBody body) {
        RegistryBody b = require(body, () -> "send a JSON object with 'username' and/or 'password'");
        rejectReadonly(b);
        if (b.address() != null && !b.address().isBlank() && !b.address().equalsIgnoreCase(address)) {
            throw new ValidationException("a registry's address cannot change: delete it and create '" + b.address() + "'");
        }
        String password = b.password() == null || b.password().isEmpty() ? null : b.password();
        String username = b.username() == null || b.username().isEmpty() ? null : b.username();
        if (password == null && username == null) {
            return owner.chain(o -> registries.get(o, address)).map(RegistryView::of);
        }
        return owner.chain(o -> registries.update(o, address, username, password)).map(RegistryView::of);
    }
    static void rejectReadonly(RegistryBody b) {
        if (Boolean.TRUE.equals(b.readonly())) {
            throw new ValidationException("readonly registries are not supported: leave 'readonly' false or out");
        }
    }
    static <T> T require(T body, Supplier<String> message) {
        if (body == null) {
            throw new ValidationException(message.get());
        }
        return body;
    }
}
