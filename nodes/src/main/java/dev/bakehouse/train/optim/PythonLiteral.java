package dev.bakehouse.train.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the subset of Python literals that kohya's {@code ast.literal_eval} accepts in
 * {@code --optimizer_args key=value}: ints, floats, {@code True}/{@code False}/{@code None},
 * quoted strings, and tuples or lists of those ({@code betas=0.9,0.99} is a tuple, as in Python).
 * Values come back as {@link Long}, {@link Double}, {@link Boolean}, {@link String}, {@code null}
 * or an immutable {@link List}.
 */
final class PythonLiteral {
    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the text and what was expected where it failed */
    static Object parse(String text) {
        PythonLiteral p = new PythonLiteral(text);
        Object first = p.value();
        p.skipSpace();
        if (p.pos == text.length()) {
            return first;
        }
        // a bare comma-separated sequence is a tuple, as literal_eval("0.9,0.99") is
        List<Object> items = new ArrayList<>();
        items.add(first);
        while (p.accept(',')) {
            p.skipSpace();
            if (p.pos == text.length()) {
                break;
            }
            items.add(p.value());
            p.skipSpace();
        }
        if (p.pos != text.length()) {
            throw p.error("',' or end of value");
        }
        return List.copyOf(items);
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(pos);
        if (c == '(' || c == '[') {
            char close = c == '(' ? ')' : ']';
            pos++;
            List<Object> items = new ArrayList<>();
            skipSpace();
            while (!accept(close)) {
                items.add(value());
                skipSpace();
                if (!accept(',')) {
                    skipSpace();
                    if (!accept(close)) {
                        throw error("',' or '" + close + "'");
                    }
                    break;
                }
                skipSpace();
            }
            return java.util.Collections.unmodifiableList(items);
        }
        if (c == '"' || c == '\'') {
            int end = text.indexOf(c, pos + 1);
            if (end < 0) {
                throw error("a closing " + c);
            }
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }
        int start = pos;
        while (pos < text.length() && "(),[] \t".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String word = text.substring(start, pos);
        switch (word) {
            case "True": return Boolean.TRUE;
            case "False": return Boolean.FALSE;
            case "None": return null;
            default: break;
        }
        String digits = word.replace("_", "");
        try {
            if (digits.matches("[+-]?\\d+")) {
                return Long.parseLong(digits);
            }
            if (digits.matches("[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)")) {
                return Double.parseDouble(digits);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        pos = start;
        throw error("a number, True, False, None, a quoted string or a tuple");
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("'" + text + "' is not a Python literal: expected " + expected
                + " at position " + pos);
    }
}
