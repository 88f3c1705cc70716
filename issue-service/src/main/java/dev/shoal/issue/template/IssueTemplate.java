package dev.shoal.issue.template;

/** A Markdown issue template read from the repository's default branch. */
public record IssueTemplate(String name, String title, String body) {

    /**
     * Reads an optional front matter block ({@code ---} lines with {@code name:} and {@code title:});
     * without one the file name is the name and the first Markdown heading, if any, the title.
     */
    public static IssueTemplate parse(String fileName, String content) {
        String stem = fileName.endsWith(".md") ? fileName.substring(0, fileName.length() - 3) : fileName;
        String text = content.replace("\r\n", "\n");
        String name = stem;
        String title = null;
        String body = text;
        if (text.startsWith("---\n")) {
            int end = text.indexOf("\n---", 4);
            if (end > 0) {
                for (String line : text.substring(4, end).split("\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        String key = line.substring(0, colon).strip();
                        String value = unquote(line.substring(colon + 1).strip());
                        if (key.equals("name") && !value.isEmpty()) {
                            name = value;
                        } else if (key.equals("title")) {
                            title = value;
                        }
                    }
                }
                int bodyStart = text.indexOf('\n', end + 4);
                body = bodyStart < 0 ? "" : text.substring(bodyStart + 1);
            }
        }
        if (title == null) {
            title = body.lines().filter(l -> l.startsWith("# ")).map(l -> l.substring(2).strip()).findFirst().orElse("");
        }
        return new IssueTemplate(name, title, body);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
