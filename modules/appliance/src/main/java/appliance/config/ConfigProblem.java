package appliance.config;

/** One thing wrong with the configuration, located as precisely as the reader can. */
public record ConfigProblem(String file, int line, String path, String message) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(file == null ? "<config>" : file);
        if (line > 0) {
            s.append(':').append(line);
        }
        s.append(": ");
        if (path != null && !path.isEmpty()) {
            s.append(path).append(": ");
        }
        return s.append(message).toString();
    }
}
