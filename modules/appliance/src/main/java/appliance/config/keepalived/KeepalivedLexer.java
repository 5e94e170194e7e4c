package appliance.config.keepalived;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * keepalived.conf's text layer: lines joined at a trailing backslash, {@code @id} conditional
 * lines, {@code $NAME=value} parameters and their {@code $NAME}/{@code ${NAME}} uses, includes
 * (globs, relative to the including file's directory, at most 8 deep, no cycles), comments
 * ({@code !} and {@code #} outside quotes), double-quoted words, and braces as words of their own.
 * What comes out is a flat list of words and line ends, each with its file and line.
 */
final class KeepalivedLexer {

    static final int MAX_INCLUDE_DEPTH = 8;
    private static final java.util.regex.Pattern DEFINITION =
            java.util.regex.Pattern.compile("^\\$([A-Za-z_][A-Za-z0-9_]*)\\s*=(.*)$");

    /** A word, a brace, or the end of a line. */
    record Token(Kind kind, Word word, Origin origin) {
        enum Kind { WORD, OPEN, CLOSE, END }
    }

    private final Findings findings;
    private final String configId;
    private final Function<String, String> environment;
    private final Map<String, String> parameters = new HashMap<>();
    private final Deque<Path> including = new ArrayDeque<>();
    private final List<Token> tokens = new ArrayList<>();

    KeepalivedLexer(Findings findings, String configId, Function<String, String> environment) {
        this.findings = findings;
        this.configId = configId;
        this.environment = environment;
    }

    List<Token> read(Path file) {
        include(file, null);
        return tokens;
    }

    private void include(Path file, Origin from) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            error(from == null ? new Origin(file.toString(), 0) : from, from == null ? "no such file: " + file
                    : "include: no such file: " + file);
            return;
        }
        if (including.contains(real)) {
            error(from, "include cycle: " + file + " includes itself through " + chain());
            return;
        }
        if (including.size() > MAX_INCLUDE_DEPTH) {
            error(from, "include nested deeper than " + MAX_INCLUDE_DEPTH + " levels: " + chain() + " -> " + file);
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(real, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            error(from == null ? new Origin(file.toString(), 0) : from, "cannot read " + file + ": " + e.getMessage());
            return;
        }
        including.push(real);
        try {
            String name = file.normalize().toString();
            for (int i = 0; i < lines.size(); i++) {
                int first = i + 1;
                StringBuilder line = new StringBuilder(lines.get(i));
                while (endsWithContinuation(line) && i + 1 < lines.size()) {
                    line.setLength(line.length() - 1);
                    line.append(' ').append(lines.get(++i).strip());
                }
                line(line.toString(), new Origin(name, first), real.getParent());
            }
        } finally {
            including.pop();
        }
    }

    private static boolean endsWithContinuation(CharSequence line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\\' && (n < 2 || line.charAt(n - 2) != '\\');
    }

    private String chain() {
        List<String> names = new ArrayList<>();
        including.descendingIterator().forEachRemaining(p -> names.add(p.toString()));
        return String.join(" -> ", names);
    }

    private void line(String text, Origin at, Path directory) {
        String s = text.strip();
        if (s.startsWith("@")) {
            int space = indexOfBlank(s);
            if (space < 0) {
                return; // an @id with nothing after it
            }
            String id = s.substring(1, space);
            boolean negated = id.startsWith("^");
            if (negated) {
                id = id.substring(1);
            }
            if (id.equals(configId) == negated) {
                return;
            }
            s = s.substring(space).strip();
        }
        if (s.startsWith("$") && defines(s, at)) {
            return;
        }
        s = substitute(s, at);
        if (s == null) {
            return;
        }
        if (s.startsWith("~SEQ") || s.startsWith("~LST")) {
            error(at, s.substring(0, 4) + " (a line repeated over a sequence) is a keepalived directive this appliance"
                    + " does not support yet");
            return;
        }
        List<Token> words = tokenize(s, at);
        if (!words.isEmpty() && words.get(0).kind() == Token.Kind.WORD && !words.get(0).word().quoted()
                && words.get(0).word().text().startsWith("include")) {
            String keyword = words.get(0).word().text();
            if (!keyword.equals("include")) {
                if (List.of("includer", "includem", "includew", "includeb", "includea").contains(keyword)) {
                    error(at, keyword + " is a keepalived directive this appliance does not support yet; use include");
                    return;
                }
            } else {
                if (words.size() != 2 || words.get(1).kind() != Token.Kind.WORD) {
                    error(at, "include needs one file name or glob pattern");
                    return;
                }
                includeGlob(words.get(1).word().text(), at, directory);
                return;
            }
        }
        tokens.addAll(words);
        tokens.add(new Token(Token.Kind.END, null, at));
    }

    private void includeGlob(String pattern, Origin at, Path directory) {
        List<Path> files = Globs.expand(pattern, directory);
        if (files.isEmpty()) {
            if (Globs.isGlob(pattern)) {
                findings.warning(at, "include", "\"" + pattern + "\" matches no file");
            } else {
                error(at, "include: no such file: " + Globs.resolve(pattern, directory));
            }
            return;
        }
        for (Path f : files) {
            include(f, at);
        }
    }

    /** {@code $NAME=value}: true when the line was a definition. */
    private boolean defines(String s, Origin at) {
        java.util.regex.Matcher m = DEFINITION.matcher(s);
        if (!m.matches()) {
            return false;
        }
        String value = substitute(m.group(2).strip(), at);
        if (value != null) {
            parameters.put(m.group(1), value);
        }
        return true;
    }

    /** Replaces $NAME and ${NAME}; an undefined name is an error (null). */
    private String substitute(String s, Origin at) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            String name;
            int end;
            if (s.charAt(i + 1) == '{') {
                end = s.indexOf('}', i + 2);
                if (end < 0) {
                    error(at, "\"${\" without a closing \"}\"");
                    return null;
                }
                name = s.substring(i + 2, end).strip();
                end++;
            } else {
                end = i + 1;
                while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
                    end++;
                }
                name = s.substring(i + 1, end);
                boolean delimited = end == s.length() || " \t,)".indexOf(s.charAt(end)) >= 0;
                if (name.isEmpty() || !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_' || !delimited) {
                    // keepalived replaces $NAME only before a blank, a comma, a ")" or the end of the line
                    // (${NAME} anywhere); anything else, $1 in a regex included, is literal text.
                    out.append(c);
                    i++;
                    continue;
                }
            }
            String value = value(name, at);
            if (value == null) {
                return null;
            }
            out.append(value);
            i = end;
        }
        return out.toString();
    }

    private String value(String name, Origin at) {
        if (name.startsWith("_ENV ") || name.startsWith("_ENV\t")) {
            String variable = name.substring(5).strip();
            String v = environment.apply(variable);
            if (v == null) {
                error(at, "${_ENV " + variable + "}: the environment has no " + variable);
            }
            return v;
        }
        if (name.equals("_RANDOM") || name.startsWith("_RANDOM ")) {
            error(at, "${_RANDOM} is a keepalived parameter this appliance does not support yet");
            return null;
        }
        switch (name) {
            case "_PWD":
                return including.isEmpty() ? "" : including.peek().getParent().toString();
            case "_INSTANCE":
                return configId;
            case "_HASH":
                return "#";
            case "_BANG":
                return "!";
            default:
                break;
        }
        String v = parameters.get(name);
        if (v == null) {
            String near = appliance.config.Suggestions.nearest(name, parameters.keySet());
            error(at, "$" + name + " is not defined (define it first: $" + name + "=value)"
                    + (near == null ? "" : "; did you mean $" + near + "?"));
        }
        return v;
    }

    /** Words, braces and comments of one logical line. */
    private List<Token> tokenize(String s, Origin at) {
        List<Token> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                int close = s.indexOf('"', i + 1);
                if (close < 0) {
                    error(at, "a double quote is not closed");
                    return List.of();
                }
                if (inWord) {
                    word.append(s, i + 1, close);
                } else {
                    flush(out, word, inWord, at);
                    out.add(new Token(Token.Kind.WORD, new Word(s.substring(i + 1, close), true), at));
                }
                i = close + 1;
                continue;
            }
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '#' || s.charAt(i + 1) == '!')) {
                word.append(s.charAt(i + 1));
                inWord = true;
                i += 2;
                continue;
            }
            if (c == '#' || c == '!') {
                break;
            }
            if (c == ' ' || c == '\t' || c == '{' || c == '}') {
                flush(out, word, inWord, at);
                inWord = false;
                if (c == '{' || c == '}') {
                    out.add(new Token(c == '{' ? Token.Kind.OPEN : Token.Kind.CLOSE, null, at));
                }
                i++;
                continue;
            }
            word.append(c);
            inWord = true;
            i++;
        }
        flush(out, word, inWord, at);
        return out;
    }

    private static void flush(List<Token> out, StringBuilder word, boolean inWord, Origin at) {
        if (inWord && word.length() > 0) {
            out.add(new Token(Token.Kind.WORD, new Word(word.toString(), false), at));
        }
        word.setLength(0);
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    private void error(Origin at, String message) {
        findings.error(at, null, message);
    }
}
