package dev.shoal.web;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a step log with ANSI colour codes into HTML: SGR codes become {@code <span class="ansi-…">},
 * every other character is escaped, and other escape sequences (cursor moves, clear line) are dropped.
 * <p>
 * One instance follows one log as it arrives in chunks: the colours in force carry over from one
 * chunk to the next, and an escape sequence cut between two chunks waits for its end. Each chunk's
 * HTML is complete on its own (spans closed at its end, reopened at the next), because the browser
 * appends it as a fragment.
 */
public final class AnsiHtml {

    private static final char ESC = 0x1b;
    /** A CSI sequence longer than this is not one we understand: it is dropped, not waited for forever. */
    private static final int MAX_SEQUENCE = 64;

    private int fg = -1;
    private int bg = -1;
    private boolean bold;
    private boolean italic;
    private boolean underline;
    private String pending = "";

    /** The whole text at once. */
    public static String toHtml(String text) {
        AnsiHtml converter = new AnsiHtml();
        return converter.feed(text) + converter.finish();
    }

    /** The HTML of the next chunk; an unfinished escape sequence at its end is kept for the next one. */
    public String feed(String chunk) {
        String text = pending + (chunk == null ? "" : chunk);
        pending = "";
        StringBuilder out = new StringBuilder(text.length() + 32);
        boolean open = openSpan(out);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ESC) {
                int end = sequenceEnd(text, i);
                if (end < 0) {
                    if (text.length() - i <= MAX_SEQUENCE) {
                        pending = text.substring(i);
                        break;
                    }
                    i++; // garbage: drop the lone escape
                    continue;
                }
                if (text.charAt(i + 1) == '[' && text.charAt(end) == 'm') {
                    if (open) {
                        out.append("</span>");
                    }
                    apply(text.substring(i + 2, end));
                    open = openSpan(out);
                }
                i = end + 1;
                continue;
            }
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\n', '\t' -> out.append(c);
                default -> {
                    if (c >= 0x20 && c != 0x7f) {
                        out.append(c);
                    }
                }
            }
            i++;
        }
        if (open) {
            out.append("</span>");
        }
        return out.toString();
    }

    /** What is left at the end of the log: an escape sequence that never ended is dropped. */
    public String finish() {
        pending = "";
        return "";
    }

    /**
     * Index of the last character of the escape sequence starting at {@code start}, or -1 when the
     * text ends before it does. CSI ({@code ESC [ … final}) is parsed; any other ESC x is two characters.
     */
    private static int sequenceEnd(String text, int start) {
        if (start + 1 >= text.length()) {
            return -1;
        }
        if (text.charAt(start + 1) != '[') {
            return start + 1;
        }
        for (int j = start + 2; j < text.length() && j - start <= MAX_SEQUENCE; j++) {
            char c = text.charAt(j);
            if (c >= 0x40 && c <= 0x7e) {
                return j;
            }
            if (c < 0x20 || c > 0x3f) {
                return j - 1; // not a CSI after all: drop what we read
            }
        }
        return -1;
    }

    private void apply(String params) {
        String[] parts = params.isEmpty() ? new String[] {"0"} : params.split(";", -1);
        for (int k = 0; k < parts.length; k++) {
            int code;
            try {
                code = parts[k].isEmpty() ? 0 : Integer.parseInt(parts[k]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (code == 0) {
                fg = -1;
                bg = -1;
                bold = false;
                italic = false;
                underline = false;
            } else if (code == 1) {
                bold = true;
            } else if (code == 3) {
                italic = true;
            } else if (code == 4) {
                underline = true;
            } else if (code == 22) {
                bold = false;
            } else if (code == 23) {
                italic = false;
            } else if (code == 24) {
                underline = false;
            } else if (code >= 30 && code <= 37) {
                fg = code - 30;
            } else if (code >= 90 && code <= 97) {
                fg = code - 90 + 8;
            } else if (code == 39) {
                fg = -1;
            } else if (code >= 40 && code <= 47) {
                bg = code - 40;
            } else if (code >= 100 && code <= 107) {
                bg = code - 100 + 8;
            } else if (code == 49) {
                bg = -1;
            } else if (code == 38 || code == 48) {
                // 256 colours (5;n) map onto the 16 when they are among them; true colour (2;r;g;b) is skipped
                if (k + 2 < parts.length && "5".equals(parts[k + 1])) {
                    int n = parse(parts[k + 2]);
                    if (n >= 0 && n < 16) {
                        if (code == 38) {
                            fg = n;
                        } else {
                            bg = n;
                        }
                    }
                    k += 2;
                } else if (k + 1 < parts.length && "2".equals(parts[k + 1])) {
                    k += 4;
                }
            }
        }
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private boolean openSpan(StringBuilder out) {
        List<String> classes = new ArrayList<>(5);
        if (fg >= 0) {
            classes.add("ansi-fg" + fg);
        }
        if (bg >= 0) {
            classes.add("ansi-bg" + bg);
        }
        if (bold) {
            classes.add("ansi-bold");
        }
        if (italic) {
            classes.add("ansi-italic");
        }
        if (underline) {
            classes.add("ansi-underline");
        }
        if (classes.isEmpty()) {
            return false;
        }
        out.append("<span class=\"").append(String.join(" ", classes)).append("\">");
        return true;
    }
}
