package dev.shoal.pipeline.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One filter of a {@code when} clause: values to include and to exclude, each a glob ({@code *}
 * within a path segment, {@code **} across segments, {@code ?}, {@code {a,b}}, {@code [abc]}).
 * An empty include list includes everything.
 */
public record Constraint(List<String> include, List<String> exclude) {

    public static final Constraint ANY = new Constraint(List.of(), List.of());

    public Constraint {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean isEmpty() {
        return include.isEmpty() && exclude.isEmpty();
    }

    public boolean matches(String value) {
        String v = value == null ? "" : value;
        if (exclude.stream().anyMatch(pattern -> glob(pattern, v))) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(pattern -> glob(pattern, v));
    }

    static boolean glob(String pattern, String value) {
        return Pattern.compile(toRegex(pattern)).matcher(value).matches();
    }

    static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        regex.append(".*");
                        i++;
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '{' -> {
                    braces++;
                    regex.append("(?:");
                }
                case '}' -> {
                    if (braces > 0) {
                        braces--;
                        regex.append(')');
                    } else {
                        regex.append("\\}");
                    }
                }
                case ',' -> regex.append(braces > 0 ? "|" : ",");
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        regex.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end).replace("\\", "\\\\");
                        if (set.startsWith("!")) {
                            set = "^" + set.substring(1);
                        }
                        regex.append('[').append(set).append(']');
                        i = end;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        while (braces-- > 0) {
            regex.append(')');
        }
        return regex.toString();
    }
}
