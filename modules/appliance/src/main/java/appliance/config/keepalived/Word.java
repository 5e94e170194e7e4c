package appliance.config.keepalived;

/**
 * One word of a keepalived.conf line after substitution: {@code quoted} when it was written in
 * double quotes (then it may hold blanks, and "{" or "!" in it are not syntax).
 */
public record Word(String text, boolean quoted) {

    /** The word as a command line would need it: blanks and quotes kept inside single quotes. */
    String forCommandLine() {
        if (!text.isEmpty() && text.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\'' || c == '"'
                || c == '\\')) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
