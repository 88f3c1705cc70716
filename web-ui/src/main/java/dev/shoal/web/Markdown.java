package dev.shoal.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Markdown (READMEs, issue bodies, comments) to HTML a browser may show: commonmark-java renders,
 * the OWASP sanitizer then keeps only formatting, links, images, tables and code. Raw HTML inside
 * the markdown is escaped by the renderer already; the sanitizer is the second wall.
 */
@ApplicationScoped
public class Markdown {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
    private static final PolicyFactory POLICY = Sanitizers.FORMATTING.and(Sanitizers.BLOCKS).and(Sanitizers.TABLES)
            .and(Sanitizers.LINKS).and(Sanitizers.IMAGES)
            .and(new HtmlPolicyBuilder()
                    .allowElements("pre", "code", "hr", "del", "s", "kbd")
                    .allowAttributes("class").matching(Pattern.compile("language-[A-Za-z0-9_+-]{1,40}")).onElements("code")
                    .allowUrlProtocols("http", "https", "mailto")
                    .requireRelsOnLinks("nofollow", "noopener", "noreferrer")
                    .toFactory());

    public String render(String markdown) {
        if (markdown == null || markdown.isEmpty()) {
            return "";
        }
        Node document = PARSER.parse(markdown);
        return POLICY.sanitize(RENDERER.render(document));
    }


    /** Plain text as HTML text (for README.txt and the like). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&#34;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** An issue or pull request as the API gave it, with its body and each comment's body rendered ({@code html}). */
    public Map<String, Object> thread(Map<String, Object> answer) {
        Map<String, Object> thread = new LinkedHashMap<>(answer);
        thread.put("html", render(String.valueOf(thread.getOrDefault("body", ""))));
        return thread;
    }

    /** The comments of a thread, each with its body rendered ({@code html}). */
    public List<Map<String, Object>> comments(Map<String, Object> thread) {
        List<Map<String, Object>> comments = new ArrayList<>();
        if (thread.get("comments") instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> comment = new LinkedHashMap<>((Map<String, Object>) m);
                    comment.put("html", render(String.valueOf(comment.getOrDefault("body", ""))));
                    comments.add(comment);
                }
            }
        }
        return comments;
    }
}
