package appliance.config.keepalived;

/** Where a keepalived.conf word was written: the file (as named or found by include) and its line. */
public record Origin(String file, int line) {

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
