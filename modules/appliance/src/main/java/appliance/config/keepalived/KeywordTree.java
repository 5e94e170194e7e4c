package appliance.config.keepalived;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The lexer's words and braces as keepalived's nesting: a line is a keyword and its words; a "{"
 * (on the same line or the next) makes the line before it a block, which a "}" ends.
 */
final class KeywordTree {

    private static final class Builder {
        final Word keyword;
        final List<Word> args;
        final Origin origin;
        List<Builder> children;

        Builder(List<Word> words, Origin origin) {
            this.keyword = words.get(0);
            this.args = new ArrayList<>(words.subList(1, words.size()));
            this.origin = origin;
        }

        Node build() {
            return new Node(keyword.text(), args, children == null ? null : children.stream().map(Builder::build).toList(),
                    origin);
        }
    }

    private KeywordTree() {
    }

    static List<Node> build(List<KeepalivedLexer.Token> tokens, Findings findings) {
        List<Builder> top = new ArrayList<>();
        Deque<Builder> open = new ArrayDeque<>();
        List<Word> words = new ArrayList<>();
        Origin wordsAt = null;
        Builder last = null;
        for (KeepalivedLexer.Token t : tokens) {
            List<Builder> here = open.isEmpty() ? top : open.peek().children;
            switch (t.kind()) {
                case WORD -> {
                    if (words.isEmpty()) {
                        wordsAt = t.origin();
                    }
                    words.add(t.word());
                }
                case END -> {
                    if (!words.isEmpty()) {
                        last = new Builder(words, wordsAt);
                        here.add(last);
                        words.clear();
                    }
                }
                case OPEN -> {
                    Builder opener;
                    if (!words.isEmpty()) {
                        opener = new Builder(words, wordsAt);
                        here.add(opener);
                        words.clear();
                    } else if (last != null && last.children == null && !here.isEmpty() && here.get(here.size() - 1) == last) {
                        opener = last;
                    } else {
                        findings.error(t.origin(), null, "a \"{\" with no keyword before it");
                        opener = new Builder(List.of(new Word("{", false)), t.origin());
                    }
                    opener.children = new ArrayList<>();
                    open.push(opener);
                    last = null;
                }
                case CLOSE -> {
                    if (!words.isEmpty()) {
                        here.add(new Builder(words, wordsAt));
                        words.clear();
                    }
                    if (open.isEmpty()) {
                        findings.error(t.origin(), null, "a \"}\" that closes no block");
                    } else {
                        last = open.pop();
                    }
                }
                default -> throw new IllegalStateException(t.kind().toString());
            }
        }
        if (!words.isEmpty()) {
            (open.isEmpty() ? top : open.peek().children).add(new Builder(words, wordsAt));
        }
        while (!open.isEmpty()) {
            Builder b = open.pop();
            findings.error(b.origin, b.keyword.text(), "the block opened here is not closed (a \"}\" is missing)");
        }
        return top.stream().map(Builder::build).toList();
    }
}
