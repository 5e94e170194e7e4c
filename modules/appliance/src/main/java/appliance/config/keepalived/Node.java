package appliance.config.keepalived;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A keyword of keepalived.conf with the words after it on its line, and, for a block
 * ({@code keyword args {}), what the block holds; {@code children} is null for a plain line.
 */
public record Node(String keyword, List<Word> args, List<Node> children, Origin origin) {

    public Node {
        args = List.copyOf(args);
        children = children == null ? null : List.copyOf(children);
    }

    boolean isBlock() {
        return children != null;
    }

    /** The arguments' texts joined by one blank (quotes dropped), as keepalived joins a value. */
    String joined() {
        return args.stream().map(Word::text).collect(Collectors.joining(" "));
    }

    /** The arguments as one command line for keepalived's script splitting. */
    String commandLine() {
        if (args.size() == 1 && args.get(0).quoted()) {
            return args.get(0).text();
        }
        return args.stream().map(Word::forCommandLine).collect(Collectors.joining(" "));
    }
}
