package dev.shoal.issue.template.service;

import dev.shoal.issue.client.RepoGateway;
import dev.shoal.issue.config.IssueConfig;
import dev.shoal.issue.repo.service.RepoScopes;
import dev.shoal.issue.template.IssueTemplate;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Lists the issue templates a repository keeps in {@code .shoal/ISSUE_TEMPLATE/*.md}. */
@ApplicationScoped
public class TemplateService {

    private final RepoScopes repos;
    private final RepoGateway gateway;
    private final IssueConfig config;

    public TemplateService(RepoScopes repos, RepoGateway gateway, IssueConfig config) {
        this.repos = repos;
        this.gateway = gateway;
        this.config = config;
    }

    public Uni<List<IssueTemplate>> list(Caller caller, String org, String name) {
        String dir = config.templateDirectory();
        return repos.forRead(caller, org, name).chain(repo -> gateway.tree(repo.id(), "default", dir)
                .chain(entries -> Multi.createFrom().iterable(entries.stream()
                                .filter(e -> !e.isDir() && e.name().endsWith(".md") && e.size() <= config.maxTemplateBytes())
                                .sorted(Comparator.comparing(RepoGateway.TreeEntry::name))
                                .limit(config.maxTemplates()).toList())
                        .onItem().transformToUniAndConcatenate(entry -> gateway.file(repo.id(), "default", dir + "/" + entry.name())
                                .map(bytes -> bytes.map(b -> IssueTemplate.parse(entry.name(), new String(b, StandardCharsets.UTF_8)))))
                        .collect().asList()
                        .map(found -> found.stream().flatMap(Optional::stream).toList())));
    }
}
